package server

func registerStreamGroupCommands(t *Table, one func(*Command) *Command) {}
