"""The counselor's side of homework: assign exercises, follow them in a grid, review answers."""
