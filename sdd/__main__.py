from sdd.cli.main import run

run()
