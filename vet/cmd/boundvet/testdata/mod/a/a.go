package a

func leak() {}

func F() {
	leak()

	//boundvet:ignore leaky the driver honours directives
	leak()

	//boundvet:ignore leaky
	leak()
}
