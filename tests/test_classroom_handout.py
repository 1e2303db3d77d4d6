"""Class edition on a git branch, pulled by a real nbgitpuller: students' edits survive."""
import shutil
import subprocess

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT
from course_tools.classroom import nbgitpuller_link, write_class_edition_branch

pytest.importorskip("nbgitpuller", reason="install requirements-instructor.txt")
from nbgitpuller.pull import GitPuller  # noqa: E402

GIT_ENV = {"GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "instructor@example.org",
           "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "instructor@example.org"}
NB01 = "notebooks/" + next(p.name for p in NOTEBOOKS if p.name.startswith("01_"))


def git(repo, *args):
    import os

    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def instructor(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    clone = tmp_path / "instructor"
    (clone / "notebooks").mkdir(parents=True)
    for path in NOTEBOOKS[:3]:
        shutil.copy(path, clone / "notebooks" / path.name)
    shutil.copytree(ROOT / "src" / "helpers", clone / "src" / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "README.md", clone / "README.md")
    git(tmp_path, "init", "-q", "-b", "main", str(clone))
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "course")
    return clone


def test_branch_holds_the_class_edition_and_leaves_the_work_tree_alone(instructor):
    (instructor / "scratch.txt").write_text("uncommitted work")
    status = git(instructor, "status", "--porcelain")
    head = git(instructor, "rev-parse", "HEAD")
    commit = write_class_edition_branch(instructor)
    assert commit and git(instructor, "rev-parse", "class-edition") == commit
    assert git(instructor, "status", "--porcelain") == status
    assert git(instructor, "rev-parse", "HEAD") == head
    files = git(instructor, "ls-tree", "-r", "--name-only", "class-edition").splitlines()
    assert NB01 in files and "src/helpers/checks/__init__.py" in files
    assert not any(f.startswith("src/course_tools") for f in files)
    text = git(instructor, "show", f"class-edition:{NB01}")
    assert "<details" not in text and "**Think!" in text
    assert write_class_edition_branch(instructor) is None, "an unchanged edition adds no commit"
    with pytest.raises(ValueError, match="checked out"):
        write_class_edition_branch(instructor, branch="main")


def test_nbgitpuller_keeps_a_students_edit_and_delivers_the_fix(instructor, tmp_path):
    bare = tmp_path / "course.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(instructor, "remote", "add", "origin", str(bare))
    write_class_edition_branch(instructor)
    git(instructor, "push", "-q", "origin", "class-edition")
    student = tmp_path / "student" / "course"
    for _ in GitPuller(str(bare), str(student), branch="class-edition").pull():
        pass
    nb_path = student / NB01
    nb = nbformat.read(nb_path, as_version=4)  # saved as JupyterLab saves it
    stub = next(c for c in nb.cells if 'check_exercise("1.1"' in c.source)
    stub.source = 'answer = ["arthritis"]  # my attempt\ncheck_exercise("1.1", answer)'
    nbformat.write(nb, nb_path)
    # the instructor fixes the title of the same notebook and hands the fix out
    work = instructor / NB01
    fixed = nbformat.read(work, as_version=4)
    fixed.cells[0].source = fixed.cells[0].source.replace("What is lupus", "What is lupus (SLE)", 1)
    nbformat.write(fixed, work)
    git(instructor, "commit", "-q", "-am", "fix the title")
    assert write_class_edition_branch(instructor)
    git(instructor, "push", "-q", "origin", "class-edition")
    for _ in GitPuller(str(bare), str(student), branch="class-edition").pull():
        pass
    text = nb_path.read_text()
    assert "my attempt" in text, "the student's edited cell survives the update"
    assert "What is lupus (SLE)" in text, "the instructor's fix reaches the student"


def test_link_names_the_branch_and_the_notebook():
    link = nbgitpuller_link("https://hub.example.org", "https://git.example.org/course.git")
    assert link.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=")
    assert "branch=class-edition" in link and "course%2Fnotebooks%2F00_start_here" in link
    with pytest.raises(ValueError, match="hub_url"):
        nbgitpuller_link("hub", "https://git.example.org/course.git")
