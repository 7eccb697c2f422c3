from django.db import migrations


def create_reports(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    InceptionReport = apps.get_model("reviews", "InceptionReport")
    for review in Review.objects.filter(inception_report__isnull=True):
        InceptionReport.objects.create(review=review)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_teams_inception_report")]

    operations = [migrations.RunPython(create_reports, migrations.RunPython.noop)]
