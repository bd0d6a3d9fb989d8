from explorer.ui.model.rebuild import rebuild_question


def test_the_question_names_everything_a_rebuild_ends():
    assert "stops that run and discards the trained weights" in rebuild_question(True, True)
    assert "stops that run" in rebuild_question(False, True)
    assert "discards" not in rebuild_question(False, True)
    only_weights = rebuild_question(True, False)
    assert "trained weights" in only_weights and "stop" not in only_weights
