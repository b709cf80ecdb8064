"""RenderedFields keeps a form field's HTML per shown state, within a bound."""

from markupsafe import Markup

from workshop.forms import RenderedFields


def test_a_state_is_rendered_once_and_then_reused():
    kept, renders = RenderedFields(kept=4), []

    def render(text):
        return lambda: renders.append(text) or Markup("<p>{}</p>").format(text)

    assert kept.get("a", render("a")) == Markup("<p>a</p>")
    assert kept.get("a", render("other")) == Markup("<p>a</p>")
    assert kept.get("b", render("b")) == Markup("<p>b</p>")
    assert renders == ["a", "b"]


def test_the_states_kept_never_exceed_the_bound():
    """Typed values (a searched name) make a new state each: they must not grow it forever."""
    kept = RenderedFields(kept=3)
    for number in range(100):
        kept.get(number, lambda n=number: Markup("{}").format(n))
        assert len(kept) <= 3
    assert kept.get(99, lambda: Markup("rendered again")) == Markup("99")
