from ridni.cli.main import run

run()
