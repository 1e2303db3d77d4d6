"""Same as the `lupus-contents` console command; for setups without entry points on PATH."""
from course_tools.notebook_tools import contents_main

if __name__ == "__main__":
    raise SystemExit(contents_main())
