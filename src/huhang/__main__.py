from huhang.cli import main

main()
