#!/bin/sh
# Prints the path of a Python 3.10 interpreter for the project's virtual
# environment (Rasa 3.6 runs on Python 3.10 at most). Looks, in order, at
# $PYTHON, pyenv's 3.10 installs, then python3.10 and python3 on PATH.
set -u

is_python310() {
    [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1
}

candidates="${PYTHON:-}"
if command -v pyenv >/dev/null 2>&1; then
    pyenv_root=$(pyenv root 2>/dev/null)
    for dir in $(ls -d "$pyenv_root"/versions/3.10.* 2>/dev/null | sort -V -r); do
        candidates="$candidates $dir/bin/python"
    done
fi
candidates="$candidates $(command -v python3.10 2>/dev/null) $(command -v python3 2>/dev/null)"

for candidate in $candidates; do
    if is_python310 "$candidate"; then
        echo "$candidate"
        exit 0
    fi
done
echo "No Python 3.10 found: install it (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10" >&2
exit 1
