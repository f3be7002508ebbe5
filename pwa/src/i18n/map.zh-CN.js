// The map's strings (zh-CN): they come with the map's chunk, not the first screen.
export default {
  map_title: '隐患地图',
  map_loading: '正在加载地图…',
};
