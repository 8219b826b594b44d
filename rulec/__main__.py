from rulec.cli import main

main()
