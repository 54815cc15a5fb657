"""Copy/paste fragments: chosen layers with their inner edges, renamed and shifted on paste."""

import pytest

from studio.core import fragment
from studio.core.graph import Graph


def chain() -> Graph:
    g = Graph()
    g.add_node("Input", {"shape": [4]}, "x", (0, 0))
    g.add_node("Dense", {"units": 8}, "hidden", (200, 0))
    g.add_node("Dense", {"units": 1}, "out", (400, 0))
    g.connect("x", "hidden")
    g.connect("hidden", "out")
    return g


def test_extract_keeps_only_inner_edges_and_paste_renames():
    g = chain()
    frag = fragment.loads(fragment.dumps(fragment.extract(g, ["out", "hidden"])))
    assert [l["name"] for l in frag["layers"]] == ["hidden", "out"]
    assert frag["layers"][0]["inbound"] == [] and frag["layers"][1]["inbound"] == ["hidden"]
    layers, edges = fragment.plan(g, frag, (40, 40))
    assert [l["name"] for l in layers] == ["hidden_1", "out_1"]
    assert edges == [("hidden_1", "out_1")]
    assert layers[0]["pos"] == (240.0, 40.0) and layers[0]["config"]["units"] == 8


def test_pasting_into_another_graph_keeps_free_names():
    frag = fragment.extract(chain(), ["x"])
    layers, _ = fragment.plan(Graph(), frag, (0, 0))
    assert layers[0]["name"] == "x"


@pytest.mark.parametrize("text, words", [
    ("hello", "does not hold layers"),
    ('{"format": "other", "layers": []}', "does not hold layers"),
    ('{"format": "perceptron-studio/layers", "layers": [{"name": "a", "class_name": "Bogus", "config": {}}]}',
     "'Bogus'"),
    ('{"format": "perceptron-studio/layers", "layers": [3]}', "damaged"),
])
def test_bad_clipboard_text_is_refused_with_a_reason(text, words):
    with pytest.raises(fragment.FragmentError, match=words):
        fragment.loads(text)
