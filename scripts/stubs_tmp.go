package scripts

import lua "github.com/yuin/gopher-lua"

func openCJSON(L *lua.LState)    {}
func openStruct(L *lua.LState)   {}
func openCMsgpack(L *lua.LState) {}
