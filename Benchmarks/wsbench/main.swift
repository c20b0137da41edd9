print("wsbench")
