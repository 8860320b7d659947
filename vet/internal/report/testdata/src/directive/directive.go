package directive

func leak() {}

func f() {
	//boundvet:ignore leak well formed
	leak()

	//boundvet:ignore leak,other all names known
	leak()

	//boundvet:ignore all well formed too
	leak()

	// want +1 `^//boundvet:ignore without a reason silences nothing`
	//boundvet:ignore leak
	leak()

	// want +1 `^//boundvet:ignore names no check`
	//boundvet:ignore
	leak()

	//boundvet:ignore laek,oter typos // want `names "laek", "oter", which is not a boundvet check \(the checks: leak, other, or all\)`
	leak()

	// boundvet:ignore leak spaced // want `with a space is not a directive`
	leak()

	/* boundvet:ignore leak block */ // want `a block comment is not a directive`
	leak()

	//boundvet:nolint leak wrong verb // want `unknown directive //boundvet:nolint`
	leak()

	// Prose that mentions boundvet: or the //boundvet:ignore directive is fine.
	leak()
}
