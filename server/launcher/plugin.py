# Incident Collaboration is a native (Rust) plugin. This file is never interpreted: Mattermost's gRPC
# plugin runtime requires a Python "executable" in the manifest and runs it as
# "venv/bin/python plugin.py"; venv/bin/python in this bundle is a launcher that starts the native binary.
raise SystemExit("Incident Collaboration is a native plugin; start it through venv/bin/python, not Python.")
