package list

import "github.com/vireodb/vireo/datatypes/listpack"

// The listpack code moved to datatypes/listpack; these names keep the tests
// written against the package-local versions compiling unchanged.

func lpNew() []byte                           { return listpack.New() }
func lpAppend(lp, v []byte) []byte            { return listpack.Append(lp, v) }
func lpFirst(lp []byte) int                   { return listpack.First(lp) }
func lpNext(lp []byte, p int) int             { return listpack.Next(lp, p) }
func lpPrev(lp []byte, p int) int             { return listpack.Prev(lp, p) }
func lpLast(lp []byte) int                    { return listpack.Last(lp) }
func lpGet(lp []byte, p int) Elem             { return listpack.Get(lp, p) }
func validateListpack(lp []byte) (int, error) { return listpack.Validate(lp) }
