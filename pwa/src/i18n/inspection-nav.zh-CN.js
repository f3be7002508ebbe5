// The inspections' strings the first screen and the outbox's screens need (zh-CN): the home's button and how a
// queued inspection is named. The inspection screens' own come with their chunk (inspection.zh-CN.js).
export default {
  nav_inspection: '现场检查',
  item_inspection: '检查记录：{name}',
  open_inspection: '查看检查',
};
