# expect: FAIL load
raise ImportError("this candidate cannot be imported")
