"""Alert emails about contradictions: who gets them, what they say, and how they go out.

subscribers  config and CLI subscribers, filters, unsubscribe tokens
render       one multipart (text + HTML) message per conflict and subscriber
outbox       queue each (conflict, subscriber) once
transports   smtp and file
deliver      send what is queued, in short warehouse sessions
cycle        what a poll cycle does for alerts: record, sync, queue
cli          `monitor subscribers|unsubscribe|contradictions`
"""
