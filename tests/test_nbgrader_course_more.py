"""nbgrader end to end (real nbgrader, no mocks), notebooks 04-08 (00-03 and the
special submissions: test_nbgrader_course.py).

For every assignment: the source notebook submitted as is scores every autograded point,
the release submitted untouched scores 0, and the release holds no solution or hidden
test.  On notebook 01: one wrong and one right answer score exactly the right one's points
and the feedback names the mistake.  On notebook 00: malformed or tampered submissions
score 0 for the item without stopping the run, and no submitted file changes.
The assignments are split over two test files so pytest-xdist runs them side by side.
"""
import pytest

from classroom_support import check_assignment, make_course
from conftest import NOTEBOOKS

GROUP = [p for p in NOTEBOOKS if p.name[:2] in {"04", "05", "06", "07", "08"}]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory, GROUP)


@pytest.mark.parametrize("path", GROUP, ids=lambda p: p.stem)
def test_source_scores_all_points_release_scores_zero_and_hides_answers(course, path):
    check_assignment(course, path)
