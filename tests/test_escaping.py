"""core.escaping writes what Django's escape and conditional_escape write."""

from __future__ import annotations

from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from core import escaping

lazy_text = lazy(str, str)
values = st.one_of(
    st.text(),
    st.text().map(mark_safe),
    st.text().map(lazy_text),
    st.integers(),
    st.none(),
    st.booleans(),
)


@given(values)
def test_escape_as_django(value):
    assert escaping.escape(value) == str(django_html.escape(value))


@given(values)
def test_conditional_escape_as_django(value):
    assert escaping.conditional_escape(value) == str(django_html.conditional_escape(value))


def test_safe_text_is_kept_and_the_rest_escaped():
    assert escaping.conditional_escape(mark_safe("<b>")) == "<b>"
    assert escaping.conditional_escape("<b> & 'x'") == "&lt;b&gt; &amp; &#x27;x&#x27;"
    assert escaping.escape(mark_safe("<b>")) == "&lt;b&gt;"
