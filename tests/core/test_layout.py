"""Automatic layout runs top to bottom; a new layer goes below its anchor; old sideways files are re-laid out."""

from studio.core.graph import Graph, chain_output
from studio.core.layout import DEFAULT_SIZE, ROW_GAP, layered_positions, needs_relayout, place_below


def chain(n=6):
    g = Graph()
    names = [g.add_node("Input", {"shape": [4]})]
    for _ in range(n - 1):
        names.append(g.add_node("Dense"))
        g.connect(names[-2], names[-1])
    return g, names


def test_a_chain_is_one_column_from_top_to_bottom():
    g, names = chain()
    pos = layered_positions(g)
    assert len({pos[n][0] for n in names}) == 1
    ys = [pos[n][1] for n in names]
    assert ys == sorted(ys) and ys[1] - ys[0] == DEFAULT_SIZE[1] + ROW_GAP


def test_branches_sit_side_by_side_without_overlapping():
    g = Graph()
    a, b = g.add_node("Input", {"shape": [3]}), g.add_node("Input", {"shape": [3]})
    c, d = g.add_node("Dense"), g.add_node("Dense")
    e = g.add_node("Concatenate")
    g.connect(a, c), g.connect(b, d), g.connect(c, e), g.connect(d, e)
    sizes = {a: (300.0, 90.0), b: (200.0, 90.0)}
    pos = layered_positions(g, sizes)
    assert pos[a][1] == pos[b][1] < pos[c][1] == pos[d][1] < pos[e][1]
    assert pos[a][0] + 300 < pos[b][0] and pos[c][0] + DEFAULT_SIZE[0] < pos[d][0]
    # the merge sits between its two inputs
    centre = lambda n, w=DEFAULT_SIZE[0]: pos[n][0] + w / 2
    assert centre(c) < centre(e) < centre(d)


def test_a_new_layer_goes_below_its_anchor_and_beside_what_is_already_there():
    g, names = chain(2)
    g.move_node(names[0], (0, 0))
    g.move_node(names[1], (0, 300))
    x, y = place_below(g, names[0], (220, 100))
    assert y == DEFAULT_SIZE[1] + ROW_GAP and x == 0
    g.move_node(names[1], (0, y))  # the spot is taken: the next one goes to its right
    x2, y2 = place_below(g, names[0], (220, 100))
    assert y2 == y and x2 >= DEFAULT_SIZE[0]


def test_a_left_to_right_file_is_laid_out_again_a_top_to_bottom_one_is_kept():
    g, names = chain(3)
    for i, name in enumerate(names):  # as the old layout saved it
        g.move_node(name, (i * 220.0, 0.0))
    assert needs_relayout(g)
    for name, pos in layered_positions(g).items():
        g.move_node(name, pos)
    assert not needs_relayout(g)
    g.move_node(names[2], (400.0, g.node(names[2]).pos[1]))  # the user moved one aside: kept
    assert not needs_relayout(g)


def test_overlapping_nodes_are_laid_out_again():
    g, names = chain(2)
    g.move_node(names[0], (0, 0))
    g.move_node(names[1], (10, 200))
    g.add_node("Dense", name="other", pos=(15, 205))
    assert needs_relayout(g)


def test_the_end_of_a_valid_chain_becomes_the_output():
    g, names = chain(3)
    assert chain_output(g) == names[-1]
    g.set_outputs([names[1]])
    assert chain_output(g, fed=names[1]) == names[-1]  # the output was connected onward: it follows
    assert chain_output(g, fed=names[0]) is None        # an output chosen elsewhere is left alone
    g.set_outputs([])
    g.add_node("Dense", name="loose")                   # two loose ends: nothing is guessed
    assert chain_output(g) is None


def test_a_chain_without_an_input_gets_no_output():
    g = Graph()
    a, b = g.add_node("Dense"), g.add_node("Dense")
    g.connect(a, b)
    assert chain_output(g) is None
