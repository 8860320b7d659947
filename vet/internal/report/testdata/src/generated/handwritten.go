package generated

func g() {
	leak() // want "leak called"
}
