// Reads a server-sent event stream with fetch, so that it can carry the access key in a header (EventSource
// cannot). Calls onOpen when connected and onEvent({id, event, data}) per event; resolves when the stream ends.
export async function readEventStream(url, { headers = {}, lastEventId = null, onOpen, onEvent, signal }) {
  const h = { Accept: 'text/event-stream', ...headers };
  if (lastEventId !== null && lastEventId !== undefined) h['Last-Event-ID'] = String(lastEventId);
  const response = await fetch(url, { headers: h, cache: 'no-store', signal });
  if (!response.ok) {
    const error = new Error('event stream: HTTP ' + response.status);
    error.status = response.status;
    throw error;
  }
  if (onOpen) onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let retry = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = { id: null, event: 'message', data: '' };
      const data = [];
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') message.id = text;
        else if (field === 'event') message.event = text;
        else if (field === 'data') data.push(text);
        else if (field === 'retry') retry = Number(text);
      }
      if (data.length === 0) continue;
      message.data = data.join('\n');
      onEvent(message);
    }
  }
  return { retry };
}
