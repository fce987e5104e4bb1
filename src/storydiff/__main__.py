from storydiff.cli import main

raise SystemExit(main())
