/*
 * The sandbox chat page: pick who you are, talk to the bot in the work group, directly, or in the
 * groups it created that you are in (projects' 专班群), click its cards. The server turns every message and click into a signed Lark event for the bot's webhook;
 * this page polls for what the bot sent and draws it with window.LarkCard.
 */
(function () {
  'use strict';

  const API = '/sandbox/api';
  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);

  const state = {
    people: [],
    byId: new Map(),
    bot: { openId: '', name: '招商助手' },
    group: { chatId: '', name: '招商工作群' },
    /** Groups the bot created that the current person is in: { chatId, name, description, members, botIsMember }. */
    chats: [],
    chatsKey: '',
    as: localStorage.getItem('sandbox.as') || '',
    chat: localStorage.getItem('sandbox.chat') || 'group',
    version: '',
    rendered: new Map(),
    seen: {},
    clock: { now: Date.now(), timeZone: 'Asia/Shanghai', fetchedAt: Date.now() },
    polling: false,
  };

  async function call(method, path, body) {
    const response = await fetch(API + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || '机器人未接收（HTTP ' + (answer.webhookStatus || response.status) + '）');
    return answer;
  }

  function toast(type, text) {
    const node = document.createElement('div');
    node.className = 'toast toast-' + (type || 'info');
    node.textContent = text;
    $('toasts').appendChild(node);
    setTimeout(() => node.remove(), 4000);
  }

  const nameOf = (openId) => (openId === state.bot.openId ? state.bot.name : (state.byId.get(openId) || {}).name);
  const ctx = {
    nameOf,
    get people() {
      return state.people;
    },
    /** Who is in the chat on screen: everyone in the work group; the viewer alone in the direct chat; a project group's members. */
    get chatMembers() {
      if (state.chat === 'group') return state.people.map((p) => p.openId);
      if (state.chat === 'p2p') return [state.as];
      const chat = projectChat(state.chat);
      return chat ? chat.members.map((m) => m.openId) : [];
    },
    get botName() {
      return state.bot.name;
    },
    toast,
  };

  // --- who, clock ------------------------------------------------------------------------------

  async function loadState() {
    const s = await call('GET', '/state');
    state.people = s.people;
    state.byId = new Map(s.people.map((p) => [p.openId, p]));
    state.bot = s.bot;
    state.group = s.group;
    setClock(s);
    $('banner').hidden = s.onRoster;
    $('group-name').textContent = s.group.name;
    const who = $('who');
    who.innerHTML = '';
    const groups = new Map();
    for (const p of s.people) {
      if (!groups.has(p.roleName)) groups.set(p.roleName, []);
      groups.get(p.roleName).push(p);
    }
    for (const [roleName, list] of groups) {
      const group = document.createElement('optgroup');
      group.label = roleName;
      for (const p of list) {
        const option = document.createElement('option');
        option.value = p.openId;
        option.textContent = p.name + (p.unit ? '（' + p.unit + '）' : '');
        group.appendChild(option);
      }
      who.appendChild(group);
    }
    if (!state.byId.has(state.as)) state.as = s.people[0] ? s.people[0].openId : '';
    who.value = state.as;
    renderMentionList();
  }

  function setClock(s) {
    state.clock = { now: s.now, timeZone: s.timeZone, fetchedAt: Date.now() };
    drawClock();
  }

  function drawClock() {
    const now = state.clock.now + (Date.now() - state.clock.fetchedAt);
    const part = (options) => new Intl.DateTimeFormat('zh-CN', { timeZone: state.clock.timeZone, hour12: false, ...options }).format(now);
    $('clock').textContent = [part({ dateStyle: 'medium' }), part({ weekday: 'short' }), part({ hour: '2-digit', minute: '2-digit' })].join(' ');
  }

  async function advance(days) {
    const buttons = [$('advance-day'), $('advance-week')];
    buttons.forEach((b) => (b.disabled = true));
    toast('info', '时钟前进 ' + days + ' 天：逐日执行 9:00 的提醒、巡检和通报…');
    try {
      setClock(await call('POST', '/clock', { days }));
      toast('success', '已到 ' + $('clock').textContent);
      await poll();
    } catch (err) {
      toast('error', err.message);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  // --- chats -----------------------------------------------------------------------------------

  const projectChat = (chatId) => state.chats.find((c) => c.chatId === chatId);

  function selectChat(chat) {
    state.chat = chat;
    localStorage.setItem('sandbox.chat', chat);
    for (const item of document.querySelectorAll('.chat-item')) item.classList.toggle('active', item.dataset.chat === chat);
    drawHead();
    resetMessages();
    void poll();
  }

  /** The conversation's name and note: who is in it, and whether messages reach the bot. */
  function drawHead() {
    const chat = state.chat;
    const project = projectChat(chat);
    let name = state.bot.name;
    let note = '（单聊，直接输入命令）';
    if (chat === 'group') {
      name = state.group.name;
      note = '（' + state.people.length + ' 人 · 消息自动 @' + state.bot.name + '）';
    } else if (chat !== 'p2p') {
      name = project ? project.name : '项目群';
      const members = project ? project.members.map((m) => m.name).join('、') : '';
      const reach = project && !project.botIsMember ? '机器人已被移出群，消息不会送达机器人' : '消息自动 @' + state.bot.name;
      note = project ? '（' + project.members.length + ' 人：' + members + ' · ' + reach + '）' : '';
    }
    $('chat-name').textContent = name;
    $('chat-note').textContent = note;
    $('bot-mention').hidden = chat === 'p2p' || (project !== undefined && !project.botIsMember);
  }

  /** The project groups in the chat list, redrawn only when they change. */
  function drawProjectChats(chats) {
    const key = JSON.stringify(chats);
    if (key === state.chatsKey) return;
    state.chatsKey = key;
    state.chats = chats;
    const list = $('project-chats');
    list.innerHTML = '';
    $('project-chats-heading').hidden = chats.length === 0;
    for (const c of chats) {
      const item = document.createElement('button');
      item.type = 'button';
      item.className = 'chat-item' + (c.botIsMember ? '' : ' bot-left') + (c.chatId === state.chat ? ' active' : '');
      item.dataset.chat = c.chatId;
      item.title = c.description || c.name;
      const avatar = document.createElement('span');
      avatar.className = 'avatar project';
      avatar.textContent = '专';
      const title = document.createElement('span');
      title.className = 'chat-title';
      const name = document.createElement('span');
      name.textContent = c.name;
      const small = document.createElement('small');
      small.textContent = c.botIsMember ? c.members.length + ' 人 · ' + c.members.map((m) => m.name).join('、') : '机器人已被移出';
      title.append(name, small);
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.badge = c.chatId;
      badge.hidden = true;
      item.append(avatar, title, badge);
      list.appendChild(item);
    }
    if (state.chat !== 'group' && state.chat !== 'p2p' && !projectChat(state.chat)) selectChat('group');
    else drawHead();
  }

  function resetMessages() {
    state.version = '';
    state.rendered = new Map();
    $('messages').innerHTML = '';
  }

  function setWho(openId) {
    state.as = openId;
    state.seen = {};
    localStorage.setItem('sandbox.as', openId);
    // Someone else may not be in the project group on screen; their own list comes with the next poll.
    selectChat(state.chat === 'p2p' ? 'p2p' : 'group');
  }

  function drawBadges(counts) {
    for (const chat of Object.keys(counts)) {
      if (chat === state.chat || state.seen[chat] === undefined) state.seen[chat] = counts[chat];
      const unread = counts[chat] - state.seen[chat];
      const badge = document.querySelector('[data-badge="' + chat + '"]');
      if (!badge) continue;
      badge.hidden = unread <= 0;
      badge.textContent = String(unread);
    }
  }

  async function poll() {
    if (!state.as || state.polling) return;
    state.polling = true;
    try {
      const query = '?as=' + encodeURIComponent(state.as) + '&chat=' + encodeURIComponent(state.chat) + '&since=' + encodeURIComponent(state.version);
      const answer = await call('GET', '/messages' + query);
      drawProjectChats(answer.chats || []);
      drawBadges(answer.counts);
      if (!answer.unchanged) {
        state.version = answer.version;
        drawMessages(answer.messages);
      }
    } catch (err) {
      console.warn('poll failed', err);
      // A project group this person is not (or no longer) in: back to the work group.
      if (state.chat !== 'group' && state.chat !== 'p2p') setTimeout(() => selectChat('group'), 0);
    } finally {
      state.polling = false;
    }
  }

  // --- messages --------------------------------------------------------------------------------

  /** Redraws only the messages that changed, so a half-filled form survives new messages. */
  function drawMessages(messages) {
    const list = $('messages');
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    let grew = false;
    for (const m of messages) {
      const key = JSON.stringify([m.content, m.updated, m.urgent]);
      const known = state.rendered.get(m.messageId);
      if (known && known.key === key) continue;
      const node = drawMessage(m);
      if (known) known.node.replaceWith(node);
      else {
        list.appendChild(node);
        grew = true;
      }
      state.rendered.set(m.messageId, { key, node });
    }
    if (grew && nearBottom) list.scrollTop = list.scrollHeight;
  }

  function drawMessage(m) {
    const mine = m.senderOpenId === state.as;
    const row = document.createElement('div');
    row.className = 'msg' + (mine ? ' mine' : '') + (m.senderOpenId ? '' : ' from-bot');
    row.dataset.messageId = m.messageId;
    const name = m.senderOpenId ? nameOf(m.senderOpenId) || m.senderOpenId : state.bot.name;
    const avatar = document.createElement('div');
    avatar.className = 'avatar ' + (m.senderOpenId ? 'person' : 'bot');
    avatar.textContent = m.senderOpenId ? name.slice(0, 1) : '招';
    const main = document.createElement('div');
    main.className = 'msg-main';
    const meta = document.createElement('div');
    meta.className = 'msg-meta';
    meta.textContent = name + '  ' + timeText(m.time);
    if (m.urgent) meta.appendChild(tag('加急', 'urgent'));
    if (m.updated) meta.appendChild(tag('已更新', 'updated'));
    main.appendChild(meta);
    if (m.replyTo) {
      const quote = document.createElement('div');
      quote.className = 'quote';
      quote.textContent = '回复 ' + (nameOf(m.replyTo.senderOpenId) || '') + '：' + m.replyTo.text;
      main.appendChild(quote);
    }
    main.appendChild(drawContent(m));
    row.append(avatar, main);
    return row;
  }

  function drawContent(m) {
    if (m.msgType === 'text') {
      const bubble = LarkCard.renderText(m.content.text || '', ctx);
      bubble.classList.add('bubble');
      return bubble;
    }
    if (m.msgType === 'interactive') {
      return LarkCard.render(m.content, { ...ctx, act: (value, extra) => act(m.messageId, value, extra) });
    }
    if (m.msgType === 'file') {
      const link = document.createElement('a');
      link.className = 'file';
      link.href = API + '/files/' + encodeURIComponent(m.content.file_key);
      link.textContent = '📎 ' + m.content.name + '（' + Math.max(1, Math.round(m.content.size / 1024)) + ' KB）';
      return link;
    }
    const other = document.createElement('pre');
    other.className = 'bubble';
    other.textContent = m.msgType + ' ' + JSON.stringify(m.content, null, 2);
    return other;
  }

  function tag(text, kind) {
    const node = document.createElement('span');
    node.className = 'msg-tag ' + kind;
    node.textContent = text;
    return node;
  }

  function timeText(ms) {
    return new Intl.DateTimeFormat('zh-CN', { timeZone: state.clock.timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
  }

  /** A click or a form submit on a card: the bot's answer is a toast, and maybe a card in its place. */
  async function act(messageId, value, extra) {
    try {
      const answer = await call('POST', '/actions', { as: state.as, messageId, value, ...extra });
      if (answer.toast) toast(answer.toast.type, answer.toast.content);
    } catch (err) {
      toast('error', err.message);
    }
    await poll();
  }

  // --- composer --------------------------------------------------------------------------------

  async function send() {
    const input = $('input');
    const text = input.value.trim();
    if (!text || !state.as) return;
    input.value = '';
    const list = $('messages');
    try {
      await call('POST', '/messages', { as: state.as, chat: state.chat, text });
    } catch (err) {
      toast('error', err.message);
    }
    await poll();
    list.scrollTop = list.scrollHeight;
  }

  function renderMentionList() {
    const list = $('mention-list');
    list.innerHTML = '';
    for (const p of state.people) {
      const item = document.createElement('button');
      item.type = 'button';
      item.textContent = p.name + '（' + [p.unit, p.roleName].filter(Boolean).join(' · ') + '）';
      item.addEventListener('click', () => {
        insert('@' + p.name + ' ');
        list.hidden = true;
      });
      list.appendChild(item);
    }
  }

  function insert(text) {
    const input = $('input');
    const at = input.selectionStart ?? input.value.length;
    input.value = input.value.slice(0, at) + text + input.value.slice(input.selectionEnd ?? at);
    input.focus();
    input.selectionStart = input.selectionEnd = at + text.length;
  }

  // --- start -----------------------------------------------------------------------------------

  $('who').addEventListener('change', (e) => setWho(e.target.value));
  $('chats').addEventListener('click', (e) => {
    const item = e.target.closest('.chat-item');
    if (item) selectChat(item.dataset.chat);
  });
  $('send').addEventListener('click', () => void send());
  $('input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  });
  for (const chip of document.querySelectorAll('[data-insert]')) chip.addEventListener('click', () => insert(chip.dataset.insert + ' '));
  $('mention-button').addEventListener('click', () => ($('mention-list').hidden = !$('mention-list').hidden));
  $('advance-day').addEventListener('click', () => void advance(1));
  $('advance-week').addEventListener('click', () => void advance(7));

  loadState()
    .then(() => {
      // A project group remembered from before is checked by the first poll (back to the work group if gone).
      selectChat(state.chat || 'group');
      setInterval(() => void poll(), POLL_MS);
      setInterval(drawClock, 15_000);
    })
    .catch((err) => toast('error', '无法连接机器人：' + err.message));
})();
