// The in-page probe of the media benchmark, installed with context.addInitScript() before the
// Prebuilt app's scripts run. It only observes: every stamp is performance.now() (or a
// timestamp of the same clock: resource timing, requestVideoFrameCallback), relative to the
// page's performance.timeOrigin, so no polling from Node biases the figures.
//
// window.__bench = {marks: {name: ms}, video: {...}, pcs: [RTCPeerConnection]}; marks:
//   app       DOMContentLoaded ended: the Prebuilt's modules (not the SDK: loaded on use) ran
//   token_req /v2/token's request started (resource timing: the SDK is loaded by then)
//   token     /v2/token's responseEnd
//   joined    the `join` reply arrived on /v2/signal
//   offer     the first `subscribe-offer` for `watchPeerId`'s publication arrived
//   answer    our `subscribe-answer` to it was handed to the WebSocket (the SDK sends whole SDP,
//             after ICE gathering completed)
//   ice       a receiving RTCPeerConnection reached connectionState 'connected'
//   frame     first frame of watchPeerId's tile video: requestVideoFrameCallback's
//             presentationTime (decoded and handed to the compositor)
//   frame_poll  the same seen by a 4 ms poll of getVideoPlaybackQuality() (cross-check)
// watchPeerId null (the CPU phase): only the RTCPeerConnection list is kept.

export function pageProbe({ watchPeerId }) {
  const b = { marks: {}, video: null, pcs: [] };
  window.__bench = b;
  const mark = (name, t = performance.now()) => {
    if (!(name in b.marks)) b.marks[name] = t;
  };

  const OrigPc = window.RTCPeerConnection;
  window.RTCPeerConnection = new Proxy(OrigPc, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget);
      b.pcs.push(pc);
      let receiving = false;
      pc.addEventListener('track', () => (receiving = true));
      pc.addEventListener('connectionstatechange', () => {
        if (receiving && pc.connectionState === 'connected') mark('ice');
      });
      return pc;
    },
  });
  if (!watchPeerId) return;

  document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
    mark('app', performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd);
  }));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.name.includes('/v2/token')) continue;
      mark('token_req', e.startTime);
      mark('token', e.responseEnd);
    }
  }).observe({ type: 'resource', buffered: true });

  // Signalling: stamp the frames we care about, then stop parsing.
  const OrigWs = window.WebSocket;
  window.WebSocket = new Proxy(OrigWs, {
    construct(target, args, newTarget) {
      const ws = Reflect.construct(target, args, newTarget);
      if (!String(args[0]).includes('/v2/signal')) return ws;
      let subscription = null;
      const onMessage = (ev) => {
        const t = performance.now();
        let m;
        try {
          m = JSON.parse(ev.data);
        } catch {
          return;
        }
        if (m.type === 'reply' && m.result?.peer && m.result?.policy) mark('joined', t);
        if (m.type === 'subscribe-offer' && m.peer_id === watchPeerId && subscription === null) {
          subscription = m.subscription_id;
          mark('offer', t);
          ws.removeEventListener('message', onMessage);
        }
      };
      ws.addEventListener('message', onMessage);
      const send = ws.send;
      ws.send = function (data) {
        if (subscription !== null && !('answer' in b.marks) && String(data).includes('subscribe-answer')) {
          try {
            if (JSON.parse(data).subscription_id === subscription) mark('answer');
          } catch {
            // not ours to judge
          }
        }
        return send.call(this, data);
      };
      return ws;
    },
  });

  // The watched peer's tile: its <video> is created once and never moved (web/prebuilt/grid.mjs).
  const selector = `[data-testid="tile"][data-peer-id="${watchPeerId}"] video[data-source="regular"]`;
  let video = null;
  let poll = null;
  const found = () => {
    video = document.querySelector(selector);
    if (!video) return;
    observer.disconnect();
    video.requestVideoFrameCallback((now, meta) => {
      mark('frame', meta.presentationTime);
      b.video = { width: meta.width, height: meta.height, callbackAt: now, receiveTime: meta.receiveTime ?? null };
    });
    poll = setInterval(() => {
      if (video.getVideoPlaybackQuality().totalVideoFrames > 0) {
        mark('frame_poll');
        clearInterval(poll);
      }
    }, 4);
  };
  const observer = new MutationObserver(found);
  observer.observe(document, { childList: true, subtree: true });
}
