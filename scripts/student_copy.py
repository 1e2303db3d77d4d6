"""Same as the `lupus-student-copy` console command; for setups without entry points on PATH."""
from course_tools.student_copy import main

if __name__ == "__main__":
    raise SystemExit(main())
