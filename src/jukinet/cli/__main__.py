from jukinet.cli.main import main

main()
