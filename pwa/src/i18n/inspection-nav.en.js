// The inspections' strings the first screen and the outbox's screens need (en); see inspection-nav.zh-CN.js.
export default {
  nav_inspection: 'Inspections',
  item_inspection: 'Inspection: {name}',
  open_inspection: 'Open inspection',
};
