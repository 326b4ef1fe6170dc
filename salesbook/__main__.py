from salesbook.cli import main

raise SystemExit(main())
