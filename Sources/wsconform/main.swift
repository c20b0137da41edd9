print("wsconform")
