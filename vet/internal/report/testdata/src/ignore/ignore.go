package ignore

func leak(...int) {}

func leakend(func()) {}

func lines() {
	leak() // want "leak called"

	//boundvet:ignore leak the directive on the line above
	leak()

	leak() //boundvet:ignore leak a directive at the end of the line

	leak() //boundvet:ignore leak a trailing directive silences its own line only
	leak() // want "leak called"

	//boundvet:ignore leak heads a block of comments
	// that goes on here
	leak()

	//boundvet:ignore leak a directive between blank lines belongs to the statement below

	leak()

	leak()
	//boundvet:ignore leak right below a statement and above a blank line, it belongs to the statement above

	leak() // want "leak called"
}

func names() {
	//boundvet:ignore all every check
	leak()

	//boundvet:ignore other,leak a list of checks
	leak()

	//boundvet:ignore other a directive for another check
	leak() // want "leak called"

	//boundvet:ignore leak
	leak() // want "leak called"

	//boundvet:ignore
	leak() // want "leak called"

	// boundvet:ignore leak with a space it is not a directive
	leak() // want "leak called"

	/*boundvet:ignore leak a block comment is not a directive */
	leak() // want "leak called"

	//boundvet:ignoreleak glued to the verb
	leak() // want "leak called"
}

func statements() {
	leak(
		1,
	) //boundvet:ignore leak at the end of a statement, it covers the statement's first line

	leak(1, //boundvet:ignore leak at the end of a statement's first line
		2)

	//boundvet:ignore leak covers the first line of the statement below, not the lines inside it
	go func() {
		leak() // want "leak called"
	}()

	go func() { //boundvet:ignore leak on an opening line it also covers the statement that follows
		leak()
	}()

	for range 3 {
		//boundvet:ignore leak inside a loop body
		leak()
	}
}

func ends() {
	leakend(func() {
		leak(1) // want "leak called"
	}) // want "end reached"

	leakend(func() {
		leak(1) // the directive right below belongs to this statement too
		//boundvet:ignore leak a directive on a line of its own covers the line below, a closing brace too
	})

	leakend(func() {
		leak(1) //boundvet:ignore leak a trailing directive does not cover the line below
	}) // want "end reached"
}
