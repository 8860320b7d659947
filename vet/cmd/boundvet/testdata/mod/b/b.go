package b

func leak() {}

func G() {
	leak()
}
