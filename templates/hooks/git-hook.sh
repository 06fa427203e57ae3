#!/bin/sh
{{ marker }}: written by 'sdd hooks install' (sdd {{ version }}); do not edit.
# 'sdd hooks uninstall' removes it and puts back the hook it replaced, kept beside it as
# {{ hook }}{{ kept_suffix }}: that hook runs first, with the same arguments{% if hook == "pre-push" %} and input{% endif %}.
# SDD_SKIP_HOOKS=1 skips sdd's part only: the kept hook still runs.
# sdd is found on each machine: $SDD_PYTHON, then the Python recorded below (none in a hooks
# folder shared through the repository), then the 'sdd' on PATH, then python3.
# SDD_HOOK_TIMEOUT (seconds, default {{ timeout }}) bounds sdd's part; past it git goes on.
hook={{ hook }}
python={{ python }}
project={{ project }}
folders={{ folders }}
here=$(dirname -- "$0")
kept="$here/$hook{{ kept_suffix }}"
status=0

# Shell hooks (husky's stubs and husky.sh, lefthook's, pre-commit's) find their work through
# "$0": they are run in the shell their first line names with "$0" still naming this hook.
run_kept() {
    kept_shell=
    first=
    IFS= read -r first <"$kept" 2>/dev/null || :
    case "$first" in
        "#!"*)
            for word in ${first#??}; do
                case "${word##*/}" in
                    sh | bash | dash | zsh | ksh | ash | mksh) kept_shell=${first#??} ;;
                esac
            done
            ;;
    esac
    if [ -n "$kept_shell" ]; then
        SDD_KEPT_HOOK=$kept $kept_shell -c 'sdd_kept=$SDD_KEPT_HOOK; unset SDD_KEPT_HOOK; . "$sdd_kept"' "$0" "$@"
    else
        "$kept" "$@"
    fi
}

find_python() {
    for candidate in "${SDD_PYTHON:-}" "$python"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    if command -v sdd >/dev/null 2>&1; then
        first=
        IFS= read -r first <"$(command -v sdd)" 2>/dev/null || :
        case "$first" in
            "#!/"*)
                candidate=${first#??}
                candidate=${candidate%% *}
                case "${candidate##*/}" in
                    sh | bash | env) ;;
                    *)
                        if [ -x "$candidate" ]; then
                            printf '%s\n' "$candidate"
                            return 0
                        fi
                        ;;
                esac
                ;;
        esac
    fi
    command -v python3 2>/dev/null
}
{% if hook == "pre-push" %}
# git gives pre-push the refs on stdin: read them once, feed them to both hooks.
if ! refs=$(mktemp "${TMPDIR:-/tmp}/sdd-pre-push.XXXXXX" 2>/dev/null); then
    echo "sdd: $hook: no temporary file for git's input; sdd's part skipped" >&2
    if [ -x "$kept" ]; then
        run_kept "$@"
        exit $?
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
    SDD_RUNNING_KEPT_HOOK="$hook:$here" run_kept "$@"{% if hook == "pre-push" %} <"$refs"{% endif %} || status=$?
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
runner=$(find_python)
if [ -z "$runner" ]; then
    echo "sdd: warning HOOK002 $hook hook skipped: sdd is not found on this machine (tried \$SDD_PYTHON, ${python:-no recorded Python}, 'sdd' on PATH, python3); install sdd, or set SDD_PYTHON to the Python that has it" >&2
    exit "$status"
fi

"$runner" -c 'import os, signal, sys
if sys.path and sys.path[0] == "":
    del sys.path[0]  # never import from the repository being committed to
try:
    limit = float(os.environ.get("SDD_HOOK_TIMEOUT") or "{{ timeout }}")
except ValueError:
    limit = {{ timeout }}
if limit > 0 and hasattr(signal, "setitimer"):
    def give_up(signum, frame):
        sys.stderr.write(
            f"sdd: warning HOOK004 {sys.argv[1]} hook stopped after {limit:g} s (SDD_HOOK_TIMEOUT); "
            f"git goes on without sdd\x27s part: run \"sdd validate\" or \"sdd adr detect\" by hand\n"
        )
        sys.stderr.flush()
        os._exit(0)
    signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, limit)
try:
    from sdd.hooks.run import main
except ModuleNotFoundError as error:
    if error.name not in ("sdd", "sdd.hooks", "sdd.hooks.run"):
        raise
    sys.stderr.write(
        f"sdd: warning HOOK003 {sys.argv[1]} hook skipped: sdd is not installed for "
        f"{sys.executable}; install it there, set SDD_PYTHON to the Python that has it, "
        f"or run \"sdd hooks install\" again (or \"sdd hooks uninstall\")\n"
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
