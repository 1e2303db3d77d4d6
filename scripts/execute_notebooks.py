"""Same as the `lupus-execute` console command; for setups without entry points on PATH."""
from course_tools.notebook_tools import execute_main

if __name__ == "__main__":
    raise SystemExit(execute_main())
