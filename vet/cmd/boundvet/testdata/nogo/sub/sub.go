package sub

func leak() {}

func H() { leak() }
