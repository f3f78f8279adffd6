from jukinet.adapters.storage.migrations.environment import run

run()
