from bot.training.validation import classify

EXPLAINED = {r"'utter_x' is not used": "uttered by an action"}


def test_classify_separates_explained_from_unexplained_warnings():
    report = classify(
        ["The utterance 'utter_x' is not used", "Intent 'y' has no examples"], EXPLAINED
    )
    assert report.explained == [("The utterance 'utter_x' is not used", "uttered by an action")]
    assert report.unexplained == ["Intent 'y' has no examples"]
    assert not report.ok


def test_classify_reports_a_repeated_warning_once():
    report = classify(["Intent 'y' has no examples"] * 3, EXPLAINED)
    assert report.unexplained == ["Intent 'y' has no examples"]


def test_no_warnings_is_ok():
    assert classify([], EXPLAINED).ok
