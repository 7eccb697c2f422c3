from django.urls import path

from reviews.views import (
    archive,
    conclusions,
    desk_review,
    evidence,
    feedback_report,
    files,
    follow_up,
    inception,
    privacy,
    programme,
    shell,
    team,
    visit,
)

app_name = "reviews"

urlpatterns = [
    path("", shell.dashboard, name="dashboard"),
    path("all/", shell.all_reviews, name="all"),
    path("notifications/<int:pk>/", shell.notification_open, name="notification"),
    path("<int:pk>/", shell.review_detail, name="detail"),
    path("<int:pk>/steps/<int:number>/", shell.step_detail, name="step"),
    path("<int:pk>/advance/", shell.advance_step, name="advance"),
    path("<int:pk>/move-back/", shell.move_back, name="move_back"),
    path("<int:pk>/archive/", archive.export, name="archive_export"),
    # Opening a review and step 2
    path("new/", team.review_create, name="new"),
    path("<int:pk>/edit/", team.review_edit, name="edit"),
    path("<int:pk>/scope/", team.review_scope, name="scope"),
    path("<int:pk>/team/", team.team_page, name="team"),
    path("<int:pk>/team/add/", team.team_add, name="team_add"),
    path("<int:pk>/team/<int:member>/remove/", team.team_remove, name="team_remove"),
    path("<int:pk>/training/new/", team.training_edit, name="training_add"),
    path("<int:pk>/training/<int:session>/", team.training_edit, name="training_edit"),
    # Step 3
    path("<int:pk>/inception/", inception.overview, name="inception"),
    path(
        "<int:pk>/inception/background/<slug:key>/",
        inception.section_edit,
        name="inception_section",
    ),
    path(
        "<int:pk>/inception/indicators/<int:group>/", inception.group_edit, name="inception_group"
    ),
    path("<int:pk>/inception/provenance/", inception.provenance_edit, name="inception_provenance"),
    path("<int:pk>/inception/submit/", inception.submit, name="inception_submit"),
    path("<int:pk>/inception/reopen/", inception.reopen, name="inception_reopen"),
    path("<int:pk>/inception/read/", inception.read, name="inception_read"),
    path("<int:pk>/interviewees/", inception.interviewees, name="interviewees"),
    path("<int:pk>/interviewees/new/", inception.interviewee_edit, name="interviewee_add"),
    path(
        "<int:pk>/interviewees/<int:person>/", inception.interviewee_edit, name="interviewee_edit"
    ),
    path(
        "<int:pk>/interviewees/<int:person>/delete/",
        inception.interviewee_delete,
        name="interviewee_delete",
    ),
    # Step 4
    path("<int:pk>/desk-review/", desk_review.home, name="desk_review"),
    path("<int:pk>/desk-review/<int:group>/", desk_review.group_edit, name="desk_review_group"),
    path("<int:pk>/desk-review/submit/", desk_review.submit, name="desk_review_submit"),
    path(
        "<int:pk>/desk-review/reopen/<int:member>/",
        desk_review.reopen,
        name="desk_review_reopen",
    ),
    path("<int:pk>/desk-review/team/<int:group>/", desk_review.team_view, name="desk_review_team"),
    path("<int:pk>/requests/", desk_review.requests, name="requests"),
    path("<int:pk>/requests/<int:item>/answer/", desk_review.answer, name="request_answer"),
    # Step 5
    path("<int:pk>/visit/", visit.planner, name="planner"),
    path("<int:pk>/visit/settings/", visit.visit_settings, name="visit_settings"),
    path("<int:pk>/visit/sessions/new/", visit.session_edit, name="session_add"),
    path("<int:pk>/visit/sessions/<int:session>/", visit.session_edit, name="session_edit"),
    path(
        "<int:pk>/visit/sessions/<int:session>/delete/", visit.session_delete, name="session_delete"
    ),
    path("<int:pk>/visit/sessions/<int:session>/brief/", visit.brief, name="brief"),
    path("<int:pk>/visit/my-schedule/", visit.schedule, name="schedule"),
    # Step 6
    path("<int:pk>/evidence/", evidence.evidence_list, name="evidence"),
    path("<int:pk>/evidence/new/", evidence.add, name="evidence_add"),
    path("<int:pk>/evidence/overview/", evidence.overview, name="evidence_overview"),
    path("<int:pk>/evidence/<int:evidence>/", evidence.edit, name="evidence_edit"),
    path("<int:pk>/evidence/<int:evidence>/delete/", evidence.delete, name="evidence_delete"),
    path("<int:pk>/evidence/<int:evidence>/restore/", evidence.restore, name="evidence_restore"),
    path("<int:pk>/evidence/<int:evidence>/history/", evidence.history, name="evidence_history"),
    path("<int:pk>/evaluation/<int:indicator>/", evidence.evaluation, name="evaluation"),
    # Step 7, on site
    path("<int:pk>/conclusions/", conclusions.page, name="conclusions"),
    path("<int:pk>/conclusions/add/", conclusions.add, name="conclusion_add"),
    path("<int:pk>/conclusions/<int:conclusion>/", conclusions.edit, name="conclusion_edit"),
    path("<int:pk>/conclusions/<int:conclusion>/vote/", conclusions.vote, name="conclusion_vote"),
    path("<int:pk>/conclusions/feedback/", conclusions.feedback, name="feedback"),
    # Step 7, the feedback report
    path("<int:pk>/report/", feedback_report.home, name="report"),
    path("<int:pk>/report/start/", feedback_report.start, name="report_start"),
    path("<int:pk>/report/summary/", feedback_report.summary_edit, name="report_summary"),
    path("<int:pk>/report/assign/", feedback_report.assign, name="report_assign"),
    path(
        "<int:pk>/report/sections/<int:section>/",
        feedback_report.section_edit,
        name="report_section",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/findings/new/",
        feedback_report.finding_edit,
        name="report_finding_add",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/findings/<int:finding>/",
        feedback_report.finding_edit,
        name="report_finding_edit",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/findings/<int:finding>/delete/",
        feedback_report.finding_delete,
        name="report_finding_delete",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/recommendations/new/",
        feedback_report.recommendation_edit,
        name="report_rec_add",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/recommendations/<int:rec>/",
        feedback_report.recommendation_edit,
        name="report_rec_edit",
    ),
    path(
        "<int:pk>/report/sections/<int:section>/recommendations/<int:rec>/delete/",
        feedback_report.recommendation_delete,
        name="report_rec_delete",
    ),
    path("<int:pk>/report/freeze/", feedback_report.freeze, name="report_freeze"),
    path(
        "<int:pk>/report/versions/<int:version>/",
        feedback_report.version_read,
        name="report_version",
    ),
    path(
        "<int:pk>/report/versions/<int:version>/approve/",
        feedback_report.approve,
        name="report_approve",
    ),
    path("<int:pk>/report/factual/", feedback_report.factual, name="report_factual"),
    path("<int:pk>/report/factual/open/", feedback_report.factual_open, name="report_factual_open"),
    path(
        "<int:pk>/report/factual/close/", feedback_report.factual_close, name="report_factual_close"
    ),
    path(
        "<int:pk>/report/factual/<int:comment>/answer/",
        feedback_report.factual_answer,
        name="report_factual_answer",
    ),
    path("<int:pk>/report/finalise/", feedback_report.finalise, name="report_finalise"),
    path("<int:pk>/report/reopen/", feedback_report.reopen, name="report_reopen"),
    path("<int:pk>/report/publish/", feedback_report.publish, name="report_publish"),
    path("<int:pk>/report/presentation/", feedback_report.presentation, name="report_presentation"),
    path("<int:pk>/report/final/", feedback_report.final_read, name="report_final"),
    path("<int:pk>/report/share/", feedback_report.share, name="report_share"),
    path("<int:pk>/report/annex/", feedback_report.network_annex, name="report_annex"),
    # Step 7, the host city's response and follow-up
    path("<int:pk>/response/", follow_up.responses, name="responses"),
    path("<int:pk>/response/<int:rec>/", follow_up.response_edit, name="response_edit"),
    path("<int:pk>/action-plan/", follow_up.action_plan, name="action_plan"),
    path(
        "<int:pk>/action-plan/<int:response>/progress/<int:checkpoint>/",
        follow_up.progress_edit,
        name="progress_edit",
    ),
    path("<int:pk>/checkpoints/", follow_up.checkpoints, name="checkpoints"),
    path("commitments/", follow_up.commitments, name="commitments"),
    # The personal data of the people interviewed (coordinators)
    path("privacy/", privacy.overview, name="privacy"),
    path("<int:pk>/privacy/", privacy.review_people, name="privacy_review"),
    path("<int:pk>/privacy/people/<int:person>/", privacy.person_data, name="person_data"),
    path(
        "<int:pk>/privacy/people/<int:person>/pseudonymise/",
        privacy.person_pseudonymise,
        name="person_pseudonymise",
    ),
    # Programmes: a round of reviews with its board, peer pool, teams and joint training
    path("programmes/", programme.programme_list, name="programmes"),
    path("programmes/new/", programme.programme_create, name="programme_new"),
    path("programmes/<int:programme>/", programme.board, name="programme"),
    path("programmes/<int:programme>/edit/", programme.programme_edit, name="programme_edit"),
    path("programmes/<int:programme>/pool/", programme.pool, name="programme_pool"),
    path("programmes/<int:programme>/teams/", programme.teams, name="programme_teams"),
    path(
        "programmes/<int:programme>/training/new/",
        programme.training_edit,
        name="programme_training_add",
    ),
    path(
        "programmes/<int:programme>/training/<int:training>/",
        programme.training_edit,
        name="programme_training_edit",
    ),
    path("<int:pk>/files/<int:file>/", files.download, name="file"),
    path("<int:pk>/files/<int:file>/delete/", files.delete, name="file_delete"),
]
