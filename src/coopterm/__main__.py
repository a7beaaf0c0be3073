from coopterm.cli import main

raise SystemExit(main())
