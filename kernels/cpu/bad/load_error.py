raise ImportError("this candidate cannot be imported")
