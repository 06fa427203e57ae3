#!/bin/sh
{{ marker }}: written by 'sdd hooks install' (sdd {{ version }}); do not edit.
# 'sdd hooks uninstall' removes it and puts back the hook it replaced, kept beside it as
# {{ hook }}{{ kept_suffix }}: that hook runs first, with the same arguments{% if hook == "pre-push" %} and input{% endif %}.
# SDD_SKIP_HOOKS=1 skips sdd's part only: the kept hook still runs.
hook={{ hook }}
python={{ python }}
project={{ project }}
folders={{ folders }}
here=$(dirname -- "$0")
kept="$here/$hook{{ kept_suffix }}"
status=0
{% if hook == "pre-push" %}
# git gives pre-push the refs on stdin: read them once, feed them to both hooks.
if ! refs=$(mktemp "${TMPDIR:-/tmp}/sdd-pre-push.XXXXXX" 2>/dev/null); then
    echo "sdd: $hook: no temporary file for git's input; sdd's part skipped" >&2
    if [ -x "$kept" ]; then
        exec "$kept" "$@"
    fi
    exit 0
fi
trap 'rm -f "$refs"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cat >"$refs" 2>/dev/null || :
{% endif %}
# The kept hook runs first (unless it is this very script, chained twice by mistake).
if [ -x "$kept" ] && [ "${SDD_RUNNING_KEPT_HOOK:-}" != "$hook:$here" ]; then
    SDD_RUNNING_KEPT_HOOK="$hook:$here" "$kept" "$@"{% if hook == "pre-push" %} <"$refs"{% endif %} || status=$?
fi

case "${SDD_SKIP_HOOKS:-}" in
    "" | 0) ;;
    *)
        echo "sdd: $hook checks skipped (SDD_SKIP_HOOKS is set)" >&2
        exit "$status"
        ;;
esac
unset GIT_LITERAL_PATHSPECS GIT_GLOB_PATHSPECS GIT_NOGLOB_PATHSPECS GIT_ICASE_PATHSPECS
{% if hook == "pre-commit" %}
# Fast path: nothing staged that could be an artifact, so no Python at all.
if git diff --cached --quiet --diff-filter=ACMR -- {{ pathspecs }} 2>/dev/null; then
    exit "$status"
fi
{% endif %}
if [ ! -x "$python" ]; then
    echo "sdd: warning HOOK002 $hook hook skipped: $python, the Python that installed it, is gone; run 'sdd hooks install' again (or 'sdd hooks uninstall')" >&2
    exit "$status"
fi

"$python" -c 'import sys
if sys.path and sys.path[0] == "":
    del sys.path[0]  # never import from the repository being committed to
try:
    from sdd.hooks.run import main
except ModuleNotFoundError as error:
    if error.name not in ("sdd", "sdd.hooks", "sdd.hooks.run"):
        raise
    sys.stderr.write(
        f"sdd: warning HOOK003 {sys.argv[1]} hook skipped: sdd is no longer installed for "
        f"{sys.executable}; run \"sdd hooks install\" again (or \"sdd hooks uninstall\")\n"
    )
    sys.exit(0)
sys.exit(main(sys.argv[1:]))' "$hook" "--project=$project" "--folders=$folders" -- "$@" {% if hook == "pre-push" %}<"$refs"{% else %}</dev/null{% endif %}
{% if hook == "pre-commit" %}
checked=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
exit "$checked"
{% else %}
# Advisory only: sdd's part never blocks; the kept hook's verdict stands.
exit "$status"
{% endif %}
