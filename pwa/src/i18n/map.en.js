// The map's strings (English): they come with the map's chunk, not the first screen.
export default {
  map_title: 'Findings map',
  map_loading: 'Loading the map…',
};
