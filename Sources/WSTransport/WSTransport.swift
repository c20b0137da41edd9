import WSEngine
