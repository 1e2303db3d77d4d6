"""INSTRUCTORS.md: its generated part matches the notebooks and checks; the key is complete."""
import subprocess
import sys

import nbformat

from conftest import NOTEBOOKS, ROOT
from course_tools.instructor_guide import _relink, check_hints, update_guide
from course_tools.nbgrader_course import exercises, quiz_item, think_items

GUIDE = ROOT / "INSTRUCTORS.md"


def test_committed_guide_is_up_to_date():
    text = GUIDE.read_text(encoding="utf-8")
    assert update_guide(text, ROOT) == text, "run `make instructor-guide`"
    done = subprocess.run([sys.executable, "-m", "course_tools.instructor_guide", "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_think_quiz_and_exercise_is_in_the_guide():
    text = GUIDE.read_text(encoding="utf-8")
    items = 0
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for item in think_items(nb):
            assert _relink(item.prompt) in text, item.item_id
            assert _relink(item.answer.splitlines()[0]) in text, item.item_id
            items += 1
        quiz = quiz_item(nb)
        if quiz:
            assert _relink(quiz.answer) in text, path.name
            items += 1
        for ex in exercises(nb):
            assert f"**Exercise {ex.item_id}** — " in text
    assert items >= 34


def test_a_hint_students_see_is_listed_where_students_get_stuck():
    from helpers.checks import feedback

    line = feedback("1.1", 12)
    hint = line.split("not quite — ", 1)[1]
    assert hint in GUIDE.read_text(encoding="utf-8")


def test_hints_are_read_in_source_order_with_fields_elided(tmp_path):
    module = tmp_path / "nb99.py"
    module.write_text(
        'from . import exercise\n\n@exercise("9.1")\ndef f(answer):\n'
        '    """What it checks."""\n'
        '    if answer == 1:\n        return f"not quite — first {answer} hint."\n'
        '    if answer == 2:\n        return "not quite — second hint."\n'
        '    return "correct — yes."\n')
    assert check_hints(module) == {"9.1": {"about": "What it checks.",
                                           "hints": ["first … hint.", "second hint."]}}
