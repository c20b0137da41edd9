"""ASGI WebSocket echo app for Hypercorn, the HTTP/2 peer (RFC 8441 over h2c and h2/TLS; HTTP/1.1 too).
Echoes every message with its type; Hypercorn (wsproto) negotiates permessage-deflate itself.
Usage (from scripts/peers): hypercorn --bind 127.0.0.1:PORT [--certfile C --keyfile K] hypercorn_echo:app"""


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"WebSocket only\n"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] != "websocket.receive":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})
