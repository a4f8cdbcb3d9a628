package server

// Sorted set commands through the in-process harness. The expected replies
// were taken from redis-server 7.0.15 by running the same commands in the
// same order; the Redis 7.2 additions (ZRANK/ZREVRANK WITHSCORE) are marked.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/sds"
	"github.com/vireodb/vireo/datatypes/zset"
)

// zsetReplies runs in order on one connection, on small (listpack) sets.
// "#resp3" and "#resp2" switch the protocol.
var zsetReplies = []zsetReply{
	// ZADD options, errors and replies
	{"FLUSHALL", "+OK\r\n"},
	{"ZADD k", "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{"ZADD k 1", "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{"ZADD k NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"},
	{"ZADD k NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k LT NX 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair\r\n"},
	{"ZADD k NX XX 1 a 2", "-ERR syntax error\r\n"},
	{"ZADD k foo 1 a", "-ERR syntax error\r\n"},
	{"ZADD k 1 a foo", "-ERR syntax error\r\n"},
	{"ZADD k 1 a nan b", "-ERR value is not a valid float\r\n"},
	{"ZADD k \" 1\" a", "-ERR value is not a valid float\r\n"},
	{"ZADD k 1e400 a", "-ERR value is not a valid float\r\n"},
	{"ZADD k 1e-400 a", "-ERR value is not a valid float\r\n"},
	{"ZADD k XX 1 a", ":0\r\n"},
	{"EXISTS k", ":0\r\n"},
	{"ZADD k XX INCR 1 a", "$-1\r\n"},
	{"ZADD k INCR inf a", "$3\r\ninf\r\n"},
	{"ZADD k INCR -inf a", "-ERR resulting score is not a number (NaN)\r\n"},
	{"ZSCORE k a", "$3\r\ninf\r\n"},
	{"ZADD k 0x10 b 1e-310 c -inf d", ":3\r\n"},
	{"ZADD k CH 1 b 2 c 3 a", ":3\r\n"},
	{"ZADD k GT CH 0 b 5 c", ":1\r\n"},
	{"ZADD k LT INCR 1 c", "$-1\r\n"},
	{"ZADD k LT INCR -1 c", "$1\r\n4\r\n"},
	{"ZADD k GT 10 new", ":1\r\n"},
	{"ZADD k nx ch 7 new 8 new2", ":1\r\n"},
	{"ZADD k xx gt ch 100 new2 200 new 1 absent", ":2\r\n"},
	{"ZADD k 1 a 1 a 2 a", ":0\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*12\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n$4\r\nnew2\r\n$3\r\n100\r\n$3\r\nnew\r\n$3\r\n200\r\n"},
	{"ZINCRBY k abc a", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY k 1 zz", "$1\r\n1\r\n"},
	{"ZINCRBY k 1.5 zz", "$3\r\n2.5\r\n"},
	{"ZINCRBY k nan zz", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY k nx zz", "-ERR syntax error\r\n"},
	{"ZINCRBY missing 1.5 m", "$3\r\n1.5\r\n"},
	{"ZINCRBY k 1e308 big", "$6\r\n1e+308\r\n"},
	{"ZINCRBY k 1e308 big", "$3\r\ninf\r\n"},
	{"ZINCRBY k -inf big", "-ERR resulting score is not a number (NaN)\r\n"},
	{"SET str x", "+OK\r\n"},
	{"ZADD str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZADD str XX 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZADD str 1 a nan b", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},

	// ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK
	{"ZREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREM k nope", ":0\r\n"},
	{"ZREM k a a b", ":2\r\n"},
	{"ZREM nokey a", ":0\r\n"},
	{"ZCARD k", ":6\r\n"},
	{"ZCARD nokey", ":0\r\n"},
	{"ZCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZSCORE k c", "$1\r\n4\r\n"},
	{"ZSCORE k nope", "$-1\r\n"},
	{"ZSCORE nokey a", "$-1\r\n"},
	{"ZSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZMSCORE k c nope zz", "*3\r\n$1\r\n4\r\n$-1\r\n$3\r\n2.5\r\n"},
	{"ZMSCORE nokey a b", "*2\r\n$-1\r\n$-1\r\n"},
	{"ZMSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANK k c", ":2\r\n"},
	{"ZRANK k nope", "$-1\r\n"},
	{"ZRANK nokey c", "$-1\r\n"},
	{"ZRANK str c", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREVRANK k c", ":3\r\n"},
	{"ZREVRANK k nope", "$-1\r\n"},
	{"ZRANK k c a b", "-ERR wrong number of arguments for 'zrank' command\r\n"},
	// WITHSCORE is Redis 7.2's (7.0 has no fourth argument).
	{"ZRANK k c withscores", "-ERR syntax error\r\n"},
	{"ZRANK k c WITHSCORE", "*2\r\n:2\r\n$1\r\n4\r\n"},
	{"ZREVRANK k c withscore", "*2\r\n:3\r\n$1\r\n4\r\n"},
	{"ZRANK k nope withscore", "*-1\r\n"},
	{"ZRANK nokey c withscore", "*-1\r\n"},
	{"ZREM k c d new new2 zz big", ":6\r\n"},
	{"EXISTS k", ":0\r\n"},

	// ZCOUNT and ZLEXCOUNT
	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZCOUNT k -inf +inf", ":5\r\n"},
	{"ZCOUNT k (1 (5", ":3\r\n"},
	{"ZCOUNT k 2 2", ":1\r\n"},
	{"ZCOUNT k (2 2", ":0\r\n"},
	{"ZCOUNT k 5 1", ":0\r\n"},
	{"ZCOUNT k a b", "-ERR min or max is not a float\r\n"},
	{"ZCOUNT k \" 2\" \"4\\x00x\"", ":3\r\n"},
	{"ZCOUNT k \"\" (", ":0\r\n"},
	{"ZCOUNT nokey a b", "-ERR min or max is not a float\r\n"},
	{"ZCOUNT nokey 0 1", ":0\r\n"},
	{"ZCOUNT str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZLEXCOUNT k - +", ":5\r\n"},
	{"ZLEXCOUNT k a b", "-ERR min or max not valid string range item\r\n"},
	{"ZLEXCOUNT k [b (d", ":2\r\n"},
	{"ZLEXCOUNT k + -", ":0\r\n"},
	{"ZLEXCOUNT k - -", ":0\r\n"},
	{"ZLEXCOUNT k [c [c", ":1\r\n"},
	{"ZLEXCOUNT k (c [c", ":0\r\n"},
	{"ZLEXCOUNT nokey a b", "-ERR min or max not valid string range item\r\n"},
	{"ZLEXCOUNT nokey - +", ":0\r\n"},
	{"ZLEXCOUNT str - +", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},

	// ZRANGE and its forms
	{"ZRANGE k 0 -1", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGE k -100 100", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGE k -2 -1 withscores", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGE k 3 1", "*0\r\n"},
	{"ZRANGE k 5 10", "*0\r\n"},
	{"ZRANGE k a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE k 0 1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
	{"ZRANGE k 0 1 LIMIT 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
	{"ZRANGE k 0 1 BYLEX WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{"ZRANGE k [a [c BYLEX", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGE k 0 1 BYSCORE BYLEX", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 REV REV", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 LIMIT 0", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 LIMIT a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT 1 -1", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT -1 5", "*0\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT 1 0", "*0\r\n"},
	{"ZRANGE k 3 1 BYSCORE REV", "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{"ZRANGE k (3 1 BYSCORE REV WITHSCORES LIMIT 0 1", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGE k + - BYLEX REV LIMIT 1 2", "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"},
	{"ZRANGE k 0 -1 REV WITHSCORES", "*10\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZRANGE nokey 0 -1", "*0\r\n"},
	{"ZRANGE nokey a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE nokey a b BYSCORE", "-ERR min or max is not a float\r\n"},
	{"ZRANGE str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANGE k 0 1 foo", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 WITHSCORES WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGEBYSCORE k 2 4", "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZRANGEBYSCORE k 2 4 WITHSCORES LIMIT 1 1", "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZRANGEBYSCORE k 2 4 REV", "-ERR syntax error\r\n"},
	{"ZRANGEBYSCORE k (2 (4", "*1\r\n$1\r\nc\r\n"},
	{"ZRANGEBYSCORE k 4 2", "*0\r\n"},
	{"ZRANGEBYSCORE k nan 2", "-ERR min or max is not a float\r\n"},
	{"ZRANGEBYSCORE k -inf +inf LIMIT 0 0", "*0\r\n"},
	{"ZRANGEBYSCORE k -inf +inf LIMIT 10 100", "*0\r\n"},
	{"ZREVRANGEBYSCORE k 4 2", "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{"ZREVRANGEBYSCORE k 4 2 WITHSCORES LIMIT 0 2", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZREVRANGEBYSCORE k 2 4", "*0\r\n"},
	{"ZRANGEBYLEX k - +", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGEBYLEX k - + WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{"ZRANGEBYLEX k [b (d LIMIT 0 10", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGEBYLEX k ( [", "*0\r\n"},
	{"ZRANGEBYLEX k +a [", "-ERR min or max not valid string range item\r\n"},
	{"ZREVRANGEBYLEX k + - LIMIT 1 2", "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"},
	{"ZREVRANGEBYLEX k (d [b", "*2\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{"ZREVRANGE k 0 1", "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"},
	{"ZREVRANGE k 0 1 WITHSCORES", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{"ZREVRANGE k 0 1 BYSCORE", "-ERR syntax error\r\n"},
	{"ZREVRANGE k -1 -1", "*1\r\n$1\r\na\r\n"},

	// ZRANGESTORE
	{"ZRANGESTORE dst k 0 -1", ":5\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGESTORE dst k 0 -1 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZRANGESTORE dst k 0 1 REV", ":2\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGESTORE dst k (1 +inf BYSCORE LIMIT 0 1", ":1\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGESTORE dst k [b [c BYLEX", ":2\r\n"},
	{"ZRANGE dst 0 -1", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGESTORE dst nokey 0 -1", ":0\r\n"},
	{"EXISTS dst", ":0\r\n"},
	{"ZRANGESTORE dst str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANGESTORE dst k 9 10", ":0\r\n"},
	{"ZRANGESTORE str k 0 0", ":1\r\n"},
	{"TYPE str", "+zset\r\n"},
	{"ZRANGESTORE k k 1 2", ":2\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},

	// ZREMRANGEBY*
	{"DEL k str", ":2\r\n"},
	{"SET str x", "+OK\r\n"},
	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZREMRANGEBYRANK k a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZREMRANGEBYRANK k 10 20", ":0\r\n"},
	{"ZREMRANGEBYRANK nokey 0 1", ":0\r\n"},
	{"ZREMRANGEBYRANK str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREMRANGEBYRANK str a 1", "-ERR value is not an integer or out of range\r\n"},
	{"ZREMRANGEBYSCORE str a 1", "-ERR min or max is not a float\r\n"},
	{"ZREMRANGEBYLEX str a 1", "-ERR min or max not valid string range item\r\n"},
	{"ZREMRANGEBYRANK k -1 -1", ":1\r\n"},
	{"ZREMRANGEBYSCORE k (1 2", ":1\r\n"},
	{"ZREMRANGEBYLEX k [a [a", ":1\r\n"},
	{"ZRANGE k 0 -1", "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZREMRANGEBYSCORE k -inf +inf", ":2\r\n"},
	{"EXISTS k", ":0\r\n"},

	// ZPOPMIN, ZPOPMAX, ZMPOP
	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZPOPMIN k", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZPOPMIN k 2", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZPOPMAX k 0", "*0\r\n"},
	{"ZPOPMAX k -1", "-ERR value is out of range, must be positive\r\n"},
	{"ZPOPMAX k a", "-ERR value is out of range, must be positive\r\n"},
	{"ZPOPMAX k 1 2", "-ERR syntax error\r\n"},
	{"ZPOPMAX nokey", "*0\r\n"},
	{"ZPOPMAX nokey 2", "*0\r\n"},
	{"ZPOPMAX str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZPOPMAX k 10", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{"EXISTS k", ":0\r\n"},
	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"ZADD k2 10 x", ":1\r\n"},
	{"ZMPOP 0 k MIN", "-ERR numkeys should be greater than 0\r\n"},
	{"ZMPOP a k MIN", "-ERR numkeys should be greater than 0\r\n"},
	{"ZMPOP 1 k", "-ERR wrong number of arguments for 'zmpop' command\r\n"},
	{"ZMPOP 1 k FOO", "-ERR syntax error\r\n"},
	{"ZMPOP 1 k MIN COUNT 0", "-ERR count should be greater than 0\r\n"},
	{"ZMPOP 1 k MIN COUNT a", "-ERR count should be greater than 0\r\n"},
	{"ZMPOP 1 k MIN COUNT 1 COUNT 1", "-ERR syntax error\r\n"},
	{"ZMPOP 1 k MIN COUNT", "-ERR syntax error\r\n"},
	{"ZMPOP 3 k MAX", "-ERR syntax error\r\n"},
	{"ZMPOP 2 nokey k MAX COUNT 2", "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZMPOP 2 nokey nokey2 MAX", "*-1\r\n"},
	{"ZMPOP 2 str k MAX", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZMPOP 1 k min count 5", "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZMPOP 1 k2 max", "*2\r\n$2\r\nk2\r\n*1\r\n*2\r\n$1\r\nx\r\n$2\r\n10\r\n"},
	{"EXISTS k k2", ":0\r\n"},

	// ZRANDMEMBER (deterministic forms)
	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"ZRANDMEMBER nokey", "$-1\r\n"},
	{"ZRANDMEMBER nokey 5", "*0\r\n"},
	{"ZRANDMEMBER nokey a", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANDMEMBER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANDMEMBER str 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANDMEMBER k 0", "*0\r\n"},
	{"ZRANDMEMBER k 0 WITHSCORES", "*0\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES", "*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZRANDMEMBER k 3", "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{"ZRANDMEMBER k 5 foo", "-ERR syntax error\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES x", "-ERR syntax error\r\n"},
	{"ZRANDMEMBER k a", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANDMEMBER k -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
	{"ZRANDMEMBER k 9223372036854775807 WITHSCORES", "-ERR value is out of range\r\n"},
	{"ZRANDMEMBER k 4611686018427387904 WITHSCORES", "-ERR value is out of range\r\n"},

	// ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD
	{"ZADD k2 10 b 20 c 30 d", ":3\r\n"},
	{"ZUNION 0 k", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{"ZUNION -1 k", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{"ZUNION a k", "-ERR value is not an integer or out of range\r\n"},
	{"ZUNION 2 k", "-ERR syntax error\r\n"},
	{"ZUNION 1 k k2", "-ERR syntax error\r\n"},
	{"ZUNION 2 k k2", "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZUNION 2 k k2 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 2 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n22\r\n$1\r\nc\r\n$2\r\n43\r\n$1\r\nd\r\n$2\r\n60\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 WITHSCORES", "-ERR weight value is not a float\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 x WITHSCORES", "-ERR weight value is not a float\r\n"},
	{"ZUNION 2 k k2 AGGREGATE MIN WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 AGGREGATE max WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nc\r\n$2\r\n20\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 AGGREGATE foo", "-ERR syntax error\r\n"},
	{"ZUNION 2 k k2 AGGREGATE", "-ERR syntax error\r\n"},
	{"ZUNION 2 k str WITHSCORES", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZUNION 2 str nokey WEIGHTS x", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZUNION 2 k nokey WITHSCORES WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZUNION 3 k k k WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nc\r\n$1\r\n9\r\n"},
	{"ZINTER 2 k k2 WITHSCORES", "*4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n"},
	{"ZINTER 2 k nokey", "*0\r\n"},
	{"ZINTER 2 k k2 WEIGHTS 2 3 AGGREGATE MAX WITHSCORES", "*4\r\n$1\r\nb\r\n$2\r\n30\r\n$1\r\nc\r\n$2\r\n60\r\n"},
	{"ZINTER 2 k k WEIGHTS 1 2 WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nc\r\n$1\r\n9\r\n"},
	{"ZDIFF 2 k k2 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZDIFF 2 k k2 WEIGHTS 1 2", "-ERR syntax error\r\n"},
	{"ZDIFF 2 k k2 AGGREGATE SUM", "-ERR syntax error\r\n"},
	{"ZDIFF 1 k WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZDIFF 2 k k", "*0\r\n"},
	{"ZDIFF 2 nokey k", "*0\r\n"},
	{"ZINTERCARD 2 k k2", ":2\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT 1", ":1\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT 0", ":2\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT -1", "-ERR LIMIT can't be negative\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT a", "-ERR LIMIT can't be negative\r\n"},
	{"ZINTERCARD 2 k k2 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZINTERCARD 0 k", "-ERR at least 1 input key is needed for 'zintercard' command\r\n"},
	{"ZINTERCARD 2 k", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE dst 2 k k2", ":4\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNIONSTORE dst 2 k k2 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE dst 0 k", "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"},
	{"ZINTERSTORE dst 2 k nokey", ":0\r\n"},
	{"EXISTS dst", ":0\r\n"},
	{"ZINTERSTORE dst 2 k k2 WEIGHTS 1 -1 AGGREGATE MIN", ":2\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*4\r\n$1\r\nc\r\n$3\r\n-20\r\n$1\r\nb\r\n$3\r\n-10\r\n"},
	{"ZDIFFSTORE dst 2 k k2", ":1\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZDIFFSTORE dst 2 k k2 WEIGHTS 1 1", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE str 1 k", ":3\r\n"},
	{"TYPE str", "+zset\r\n"},
	{"ZUNION 1 k WEIGHTS inf WITHSCORES", "*6\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n$1\r\nc\r\n$3\r\ninf\r\n"},
	{"ZADD inf 0 a", ":1\r\n"},
	{"ZUNION 2 inf k WEIGHTS inf 1 WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZINTER 2 inf k WEIGHTS inf 1 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZADD infs inf a -inf b", ":2\r\n"},
	{"ZADD infs2 -inf a inf b", ":2\r\n"},
	{"ZUNION 2 infs infs2 WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n"},
	{"ZINTER 2 infs infs2 AGGREGATE MAX WITHSCORES", "*4\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n"},

	// ZSCAN on a small set
	{"ZSCAN k 0", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZSCAN k 0 MATCH a*", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZSCAN k 0 COUNT 1", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZSCAN k 0 COUNT 0", "-ERR syntax error\r\n"},
	{"ZSCAN k 0 COUNT x", "-ERR value is not an integer or out of range\r\n"},
	{"ZSCAN k 0 TYPE string", "-ERR syntax error\r\n"},
	{"ZSCAN k x", "-ERR invalid cursor\r\n"},
	{"ZSCAN k 5", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
	{"ZSCAN nokey 0 COUNT 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
	{"ZSCAN str 0", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZSCAN k 0 MATCH", "-ERR syntax error\r\n"},
	{"ZADD sc 1e17 a -0 b 1.5 c 4611686018427387904 d inf e", ":5\r\n"},
	{"ZSCAN sc 0", "*2\r\n$1\r\n0\r\n*10\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$3\r\n1.5\r\n$1\r\na\r\n$18\r\n100000000000000000\r\n$1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\ne\r\n$3\r\ninf\r\n"},

	// Replies in RESP3
	{"#resp3", ""},
	{"ZRANGE k 0 -1 WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZRANGE k 0 -1", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGEBYSCORE k -inf +inf WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZREVRANGE k 0 0 WITHSCORES", "*1\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZRANGE nokey 0 -1 WITHSCORES", "*0\r\n"},
	{"ZUNION 2 k k2 WITHSCORES", "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,12\r\n*2\r\n$1\r\nc\r\n,23\r\n*2\r\n$1\r\nd\r\n,30\r\n"},
	{"ZINTER 2 k k2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZDIFF 1 k WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZSCORE k a", ",1\r\n"},
	{"ZSCORE k nope", "_\r\n"},
	{"ZMSCORE k a nope", "*2\r\n,1\r\n_\r\n"},
	{"ZRANK k nope", "_\r\n"},
	{"ZINCRBY k 1 a", ",2\r\n"},
	{"ZADD k INCR 1 a", ",3\r\n"},
	{"ZADD k XX INCR 1 nope", "_\r\n"},
	{"ZINCRBY k 1e308 big", ",1e+308\r\n"},
	{"ZINCRBY k 1e308 big", ",inf\r\n"},
	{"ZRANDMEMBER nokey", "_\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES", "*4\r\n*2\r\n$3\r\nbig\r\n,inf\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\na\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
	{"ZPOPMIN k", "*2\r\n$1\r\nb\r\n,2\r\n"},
	{"ZPOPMIN k 1", "*1\r\n*2\r\n$1\r\na\r\n,3\r\n"},
	{"ZPOPMAX nokey", "*0\r\n"},
	{"ZMPOP 1 k MAX COUNT 2", "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$3\r\nbig\r\n,inf\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZMPOP 1 nokey MAX", "_\r\n"},
	{"ZSCAN sc 0", "*2\r\n$1\r\n0\r\n*10\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$3\r\n1.5\r\n$1\r\na\r\n$18\r\n100000000000000000\r\n$1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\ne\r\n$3\r\ninf\r\n"},
	{"#resp2", ""},
}

// zsetBigReplies is the same script with zset-max-listpack-entries 0, so
// every set is in the big (skiplist) encoding; ZSCAN of several members is
// left out (its order follows the hash table).
var zsetBigReplies = []zsetReply{
	{"CONFIG SET zset-max-listpack-entries 0", "+OK\r\n"},
	{"FLUSHALL", "+OK\r\n"},
	{"ZADD k", "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{"ZADD k 1", "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{"ZADD k NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"},
	{"ZADD k NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k LT NX 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{"ZADD k INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair\r\n"},
	{"ZADD k NX XX 1 a 2", "-ERR syntax error\r\n"},
	{"ZADD k foo 1 a", "-ERR syntax error\r\n"},
	{"ZADD k 1 a foo", "-ERR syntax error\r\n"},
	{"ZADD k 1 a nan b", "-ERR value is not a valid float\r\n"},
	{"ZADD k \" 1\" a", "-ERR value is not a valid float\r\n"},
	{"ZADD k 1e400 a", "-ERR value is not a valid float\r\n"},
	{"ZADD k 1e-400 a", "-ERR value is not a valid float\r\n"},
	{"ZADD k XX 1 a", ":0\r\n"},
	{"EXISTS k", ":0\r\n"},
	{"ZADD k XX INCR 1 a", "$-1\r\n"},
	{"ZADD k INCR inf a", "$3\r\ninf\r\n"},
	{"ZADD k INCR -inf a", "-ERR resulting score is not a number (NaN)\r\n"},
	{"ZSCORE k a", "$3\r\ninf\r\n"},
	{"ZADD k 0x10 b 1e-310 c -inf d", ":3\r\n"},
	{"ZADD k CH 1 b 2 c 3 a", ":3\r\n"},
	{"ZADD k GT CH 0 b 5 c", ":1\r\n"},
	{"ZADD k LT INCR 1 c", "$-1\r\n"},
	{"ZADD k LT INCR -1 c", "$1\r\n4\r\n"},
	{"ZADD k GT 10 new", ":1\r\n"},
	{"ZADD k nx ch 7 new 8 new2", ":1\r\n"},
	{"ZADD k xx gt ch 100 new2 200 new 1 absent", ":2\r\n"},
	{"ZADD k 1 a 1 a 2 a", ":0\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*12\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n$4\r\nnew2\r\n$3\r\n100\r\n$3\r\nnew\r\n$3\r\n200\r\n"},
	{"ZINCRBY k abc a", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY k 1 zz", "$1\r\n1\r\n"},
	{"ZINCRBY k 1.5 zz", "$3\r\n2.5\r\n"},
	{"ZINCRBY k nan zz", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY k nx zz", "-ERR syntax error\r\n"},
	{"ZINCRBY missing 1.5 m", "$3\r\n1.5\r\n"},
	{"ZINCRBY k 1e308 big", "$6\r\n1e+308\r\n"},
	{"ZINCRBY k 1e308 big", "$3\r\ninf\r\n"},
	{"ZINCRBY k -inf big", "-ERR resulting score is not a number (NaN)\r\n"},
	{"SET str x", "+OK\r\n"},
	{"ZADD str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZADD str XX 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZADD str 1 a nan b", "-ERR value is not a valid float\r\n"},
	{"ZINCRBY str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},

	{"ZREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREM k nope", ":0\r\n"},
	{"ZREM k a a b", ":2\r\n"},
	{"ZREM nokey a", ":0\r\n"},
	{"ZCARD k", ":6\r\n"},
	{"ZCARD nokey", ":0\r\n"},
	{"ZCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZSCORE k c", "$1\r\n4\r\n"},
	{"ZSCORE k nope", "$-1\r\n"},
	{"ZSCORE nokey a", "$-1\r\n"},
	{"ZSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZMSCORE k c nope zz", "*3\r\n$1\r\n4\r\n$-1\r\n$3\r\n2.5\r\n"},
	{"ZMSCORE nokey a b", "*2\r\n$-1\r\n$-1\r\n"},
	{"ZMSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANK k c", ":2\r\n"},
	{"ZRANK k nope", "$-1\r\n"},
	{"ZRANK nokey c", "$-1\r\n"},
	{"ZRANK str c", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREVRANK k c", ":3\r\n"},
	{"ZREVRANK k nope", "$-1\r\n"},
	{"ZRANK k c a b", "-ERR wrong number of arguments for 'zrank' command\r\n"},
	// WITHSCORE is Redis 7.2's (7.0 has no fourth argument).
	{"ZRANK k c withscores", "-ERR syntax error\r\n"},
	{"ZRANK k c WITHSCORE", "*2\r\n:2\r\n$1\r\n4\r\n"},
	{"ZREVRANK k c withscore", "*2\r\n:3\r\n$1\r\n4\r\n"},
	{"ZRANK k nope withscore", "*-1\r\n"},
	{"ZRANK nokey c withscore", "*-1\r\n"},
	{"ZREM k c d new new2 zz big", ":6\r\n"},
	{"EXISTS k", ":0\r\n"},

	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZCOUNT k -inf +inf", ":5\r\n"},
	{"ZCOUNT k (1 (5", ":3\r\n"},
	{"ZCOUNT k 2 2", ":1\r\n"},
	{"ZCOUNT k (2 2", ":0\r\n"},
	{"ZCOUNT k 5 1", ":0\r\n"},
	{"ZCOUNT k a b", "-ERR min or max is not a float\r\n"},
	{"ZCOUNT k \" 2\" \"4\\x00x\"", ":3\r\n"},
	{"ZCOUNT k \"\" (", ":0\r\n"},
	{"ZCOUNT nokey a b", "-ERR min or max is not a float\r\n"},
	{"ZCOUNT nokey 0 1", ":0\r\n"},
	{"ZCOUNT str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZLEXCOUNT k - +", ":5\r\n"},
	{"ZLEXCOUNT k a b", "-ERR min or max not valid string range item\r\n"},
	{"ZLEXCOUNT k [b (d", ":2\r\n"},
	{"ZLEXCOUNT k + -", ":0\r\n"},
	{"ZLEXCOUNT k - -", ":0\r\n"},
	{"ZLEXCOUNT k [c [c", ":1\r\n"},
	{"ZLEXCOUNT k (c [c", ":0\r\n"},
	{"ZLEXCOUNT nokey a b", "-ERR min or max not valid string range item\r\n"},
	{"ZLEXCOUNT nokey - +", ":0\r\n"},
	{"ZLEXCOUNT str - +", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},

	{"ZRANGE k 0 -1", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGE k -100 100", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGE k -2 -1 withscores", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGE k 3 1", "*0\r\n"},
	{"ZRANGE k 5 10", "*0\r\n"},
	{"ZRANGE k a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE k 0 1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
	{"ZRANGE k 0 1 LIMIT 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
	{"ZRANGE k 0 1 BYLEX WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{"ZRANGE k [a [c BYLEX", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGE k 0 1 BYSCORE BYLEX", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 REV REV", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 LIMIT 0", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 LIMIT a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT 1 -1", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT -1 5", "*0\r\n"},
	{"ZRANGE k 1 3 BYSCORE LIMIT 1 0", "*0\r\n"},
	{"ZRANGE k 3 1 BYSCORE REV", "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{"ZRANGE k (3 1 BYSCORE REV WITHSCORES LIMIT 0 1", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGE k + - BYLEX REV LIMIT 1 2", "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"},
	{"ZRANGE k 0 -1 REV WITHSCORES", "*10\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZRANGE nokey 0 -1", "*0\r\n"},
	{"ZRANGE nokey a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANGE nokey a b BYSCORE", "-ERR min or max is not a float\r\n"},
	{"ZRANGE str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANGE k 0 1 foo", "-ERR syntax error\r\n"},
	{"ZRANGE k 0 1 WITHSCORES WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGEBYSCORE k 2 4", "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZRANGEBYSCORE k 2 4 WITHSCORES LIMIT 1 1", "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZRANGEBYSCORE k 2 4 REV", "-ERR syntax error\r\n"},
	{"ZRANGEBYSCORE k (2 (4", "*1\r\n$1\r\nc\r\n"},
	{"ZRANGEBYSCORE k 4 2", "*0\r\n"},
	{"ZRANGEBYSCORE k nan 2", "-ERR min or max is not a float\r\n"},
	{"ZRANGEBYSCORE k -inf +inf LIMIT 0 0", "*0\r\n"},
	{"ZRANGEBYSCORE k -inf +inf LIMIT 10 100", "*0\r\n"},
	{"ZREVRANGEBYSCORE k 4 2", "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{"ZREVRANGEBYSCORE k 4 2 WITHSCORES LIMIT 0 2", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZREVRANGEBYSCORE k 2 4", "*0\r\n"},
	{"ZRANGEBYLEX k - +", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{"ZRANGEBYLEX k - + WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{"ZRANGEBYLEX k [b (d LIMIT 0 10", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGEBYLEX k ( [", "*0\r\n"},
	{"ZRANGEBYLEX k +a [", "-ERR min or max not valid string range item\r\n"},
	{"ZREVRANGEBYLEX k + - LIMIT 1 2", "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"},
	{"ZREVRANGEBYLEX k (d [b", "*2\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{"ZREVRANGE k 0 1", "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"},
	{"ZREVRANGE k 0 1 WITHSCORES", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{"ZREVRANGE k 0 1 BYSCORE", "-ERR syntax error\r\n"},
	{"ZREVRANGE k -1 -1", "*1\r\n$1\r\na\r\n"},

	{"ZRANGESTORE dst k 0 -1", ":5\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGESTORE dst k 0 -1 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZRANGESTORE dst k 0 1 REV", ":2\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZRANGESTORE dst k (1 +inf BYSCORE LIMIT 0 1", ":1\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZRANGESTORE dst k [b [c BYLEX", ":2\r\n"},
	{"ZRANGE dst 0 -1", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGESTORE dst nokey 0 -1", ":0\r\n"},
	{"EXISTS dst", ":0\r\n"},
	{"ZRANGESTORE dst str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANGESTORE dst k 9 10", ":0\r\n"},
	{"ZRANGESTORE str k 0 0", ":1\r\n"},
	{"TYPE str", "+zset\r\n"},
	{"ZRANGESTORE k k 1 2", ":2\r\n"},
	{"ZRANGE k 0 -1 WITHSCORES", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},

	{"DEL k str", ":2\r\n"},
	{"SET str x", "+OK\r\n"},
	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZREMRANGEBYRANK k a b", "-ERR value is not an integer or out of range\r\n"},
	{"ZREMRANGEBYRANK k 10 20", ":0\r\n"},
	{"ZREMRANGEBYRANK nokey 0 1", ":0\r\n"},
	{"ZREMRANGEBYRANK str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZREMRANGEBYRANK str a 1", "-ERR value is not an integer or out of range\r\n"},
	{"ZREMRANGEBYSCORE str a 1", "-ERR min or max is not a float\r\n"},
	{"ZREMRANGEBYLEX str a 1", "-ERR min or max not valid string range item\r\n"},
	{"ZREMRANGEBYRANK k -1 -1", ":1\r\n"},
	{"ZREMRANGEBYSCORE k (1 2", ":1\r\n"},
	{"ZREMRANGEBYLEX k [a [a", ":1\r\n"},
	{"ZRANGE k 0 -1", "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZREMRANGEBYSCORE k -inf +inf", ":2\r\n"},
	{"EXISTS k", ":0\r\n"},

	{"ZADD k 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZPOPMIN k", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZPOPMIN k 2", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZPOPMAX k 0", "*0\r\n"},
	{"ZPOPMAX k -1", "-ERR value is out of range, must be positive\r\n"},
	{"ZPOPMAX k a", "-ERR value is out of range, must be positive\r\n"},
	{"ZPOPMAX k 1 2", "-ERR syntax error\r\n"},
	{"ZPOPMAX nokey", "*0\r\n"},
	{"ZPOPMAX nokey 2", "*0\r\n"},
	{"ZPOPMAX str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZPOPMAX k 10", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{"EXISTS k", ":0\r\n"},
	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"ZADD k2 10 x", ":1\r\n"},
	{"ZMPOP 0 k MIN", "-ERR numkeys should be greater than 0\r\n"},
	{"ZMPOP a k MIN", "-ERR numkeys should be greater than 0\r\n"},
	{"ZMPOP 1 k", "-ERR wrong number of arguments for 'zmpop' command\r\n"},
	{"ZMPOP 1 k FOO", "-ERR syntax error\r\n"},
	{"ZMPOP 1 k MIN COUNT 0", "-ERR count should be greater than 0\r\n"},
	{"ZMPOP 1 k MIN COUNT a", "-ERR count should be greater than 0\r\n"},
	{"ZMPOP 1 k MIN COUNT 1 COUNT 1", "-ERR syntax error\r\n"},
	{"ZMPOP 1 k MIN COUNT", "-ERR syntax error\r\n"},
	{"ZMPOP 3 k MAX", "-ERR syntax error\r\n"},
	{"ZMPOP 2 nokey k MAX COUNT 2", "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZMPOP 2 nokey nokey2 MAX", "*-1\r\n"},
	{"ZMPOP 2 str k MAX", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZMPOP 1 k min count 5", "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZMPOP 1 k2 max", "*2\r\n$2\r\nk2\r\n*1\r\n*2\r\n$1\r\nx\r\n$2\r\n10\r\n"},
	{"EXISTS k k2", ":0\r\n"},

	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"ZRANDMEMBER nokey", "$-1\r\n"},
	{"ZRANDMEMBER nokey 5", "*0\r\n"},
	{"ZRANDMEMBER nokey a", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANDMEMBER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANDMEMBER str 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZRANDMEMBER k 0", "*0\r\n"},
	{"ZRANDMEMBER k 0 WITHSCORES", "*0\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES", "*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZRANDMEMBER k 3", "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{"ZRANDMEMBER k 5 foo", "-ERR syntax error\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES x", "-ERR syntax error\r\n"},
	{"ZRANDMEMBER k a", "-ERR value is not an integer or out of range\r\n"},
	{"ZRANDMEMBER k -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
	{"ZRANDMEMBER k 9223372036854775807 WITHSCORES", "-ERR value is out of range\r\n"},
	{"ZRANDMEMBER k 4611686018427387904 WITHSCORES", "-ERR value is out of range\r\n"},

	{"ZADD k2 10 b 20 c 30 d", ":3\r\n"},
	{"ZUNION 0 k", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{"ZUNION -1 k", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{"ZUNION a k", "-ERR value is not an integer or out of range\r\n"},
	{"ZUNION 2 k", "-ERR syntax error\r\n"},
	{"ZUNION 1 k k2", "-ERR syntax error\r\n"},
	{"ZUNION 2 k k2", "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{"ZUNION 2 k k2 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 2 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n22\r\n$1\r\nc\r\n$2\r\n43\r\n$1\r\nd\r\n$2\r\n60\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 WITHSCORES", "-ERR weight value is not a float\r\n"},
	{"ZUNION 2 k k2 WEIGHTS 1 x WITHSCORES", "-ERR weight value is not a float\r\n"},
	{"ZUNION 2 k k2 AGGREGATE MIN WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 AGGREGATE max WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nc\r\n$2\r\n20\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNION 2 k k2 AGGREGATE foo", "-ERR syntax error\r\n"},
	{"ZUNION 2 k k2 AGGREGATE", "-ERR syntax error\r\n"},
	{"ZUNION 2 k str WITHSCORES", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZUNION 2 str nokey WEIGHTS x", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"ZUNION 2 k nokey WITHSCORES WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZUNION 3 k k k WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nc\r\n$1\r\n9\r\n"},
	{"ZINTER 2 k k2 WITHSCORES", "*4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n"},
	{"ZINTER 2 k nokey", "*0\r\n"},
	{"ZINTER 2 k k2 WEIGHTS 2 3 AGGREGATE MAX WITHSCORES", "*4\r\n$1\r\nb\r\n$2\r\n30\r\n$1\r\nc\r\n$2\r\n60\r\n"},
	{"ZINTER 2 k k WEIGHTS 1 2 WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nc\r\n$1\r\n9\r\n"},
	{"ZDIFF 2 k k2 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZDIFF 2 k k2 WEIGHTS 1 2", "-ERR syntax error\r\n"},
	{"ZDIFF 2 k k2 AGGREGATE SUM", "-ERR syntax error\r\n"},
	{"ZDIFF 1 k WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZDIFF 2 k k", "*0\r\n"},
	{"ZDIFF 2 nokey k", "*0\r\n"},
	{"ZINTERCARD 2 k k2", ":2\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT 1", ":1\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT 0", ":2\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT -1", "-ERR LIMIT can't be negative\r\n"},
	{"ZINTERCARD 2 k k2 LIMIT a", "-ERR LIMIT can't be negative\r\n"},
	{"ZINTERCARD 2 k k2 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZINTERCARD 0 k", "-ERR at least 1 input key is needed for 'zintercard' command\r\n"},
	{"ZINTERCARD 2 k", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE dst 2 k k2", ":4\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"},
	{"ZUNIONSTORE dst 2 k k2 WITHSCORES", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE dst 0 k", "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"},
	{"ZINTERSTORE dst 2 k nokey", ":0\r\n"},
	{"EXISTS dst", ":0\r\n"},
	{"ZINTERSTORE dst 2 k k2 WEIGHTS 1 -1 AGGREGATE MIN", ":2\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*4\r\n$1\r\nc\r\n$3\r\n-20\r\n$1\r\nb\r\n$3\r\n-10\r\n"},
	{"ZDIFFSTORE dst 2 k k2", ":1\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZDIFFSTORE dst 2 k k2 WEIGHTS 1 1", "-ERR syntax error\r\n"},
	{"ZUNIONSTORE str 1 k", ":3\r\n"},
	{"TYPE str", "+zset\r\n"},
	{"ZUNION 1 k WEIGHTS inf WITHSCORES", "*6\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n$1\r\nc\r\n$3\r\ninf\r\n"},
	{"ZADD inf 0 a", ":1\r\n"},
	{"ZUNION 2 inf k WEIGHTS inf 1 WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZINTER 2 inf k WEIGHTS inf 1 WITHSCORES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{"ZADD infs inf a -inf b", ":2\r\n"},
	{"ZADD infs2 -inf a inf b", ":2\r\n"},
	{"ZUNION 2 infs infs2 WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n"},
	{"ZINTER 2 infs infs2 AGGREGATE MAX WITHSCORES", "*4\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n"},

	{"ZSCAN k 0 COUNT 0", "-ERR syntax error\r\n"},
	{"ZSCAN k 0 COUNT x", "-ERR value is not an integer or out of range\r\n"},
	{"ZSCAN k 0 TYPE string", "-ERR syntax error\r\n"},
	{"ZSCAN k x", "-ERR invalid cursor\r\n"},
	{"ZSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
	{"ZSCAN nokey 0 COUNT 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
	{"ZSCAN k 0 MATCH", "-ERR syntax error\r\n"},
	{"ZADD sc 1e17 a -0 b 1.5 c 4611686018427387904 d inf e", ":5\r\n"},

	{"#resp3", ""},
	{"ZRANGE k 0 -1 WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZRANGE k 0 -1", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZRANGEBYSCORE k -inf +inf WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZREVRANGE k 0 0 WITHSCORES", "*1\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZRANGE nokey 0 -1 WITHSCORES", "*0\r\n"},
	{"ZUNION 2 k k2 WITHSCORES", "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,12\r\n*2\r\n$1\r\nc\r\n,23\r\n*2\r\n$1\r\nd\r\n,30\r\n"},
	{"ZINTER 2 k k2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{"ZDIFF 1 k WITHSCORES", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZSCORE k a", ",1\r\n"},
	{"ZSCORE k nope", "_\r\n"},
	{"ZMSCORE k a nope", "*2\r\n,1\r\n_\r\n"},
	{"ZRANK k nope", "_\r\n"},
	{"ZINCRBY k 1 a", ",2\r\n"},
	{"ZADD k INCR 1 a", ",3\r\n"},
	{"ZADD k XX INCR 1 nope", "_\r\n"},
	{"ZINCRBY k 1e308 big", ",1e+308\r\n"},
	{"ZINCRBY k 1e308 big", ",inf\r\n"},
	{"ZRANDMEMBER nokey", "_\r\n"},
	{"ZRANDMEMBER k 5 WITHSCORES", "*4\r\n*2\r\n$3\r\nbig\r\n,inf\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\na\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
	{"ZPOPMIN k", "*2\r\n$1\r\nb\r\n,2\r\n"},
	{"ZPOPMIN k 1", "*1\r\n*2\r\n$1\r\na\r\n,3\r\n"},
	{"ZPOPMAX nokey", "*0\r\n"},
	{"ZMPOP 1 k MAX COUNT 2", "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$3\r\nbig\r\n,inf\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{"ZMPOP 1 nokey MAX", "_\r\n"},
	{"#resp2", ""},
	{"CONFIG SET zset-max-listpack-entries 128", "+OK\r\n"},
}

// zsetEncodingReplies checks OBJECT ENCODING across the conversions Redis
// makes, and the sign of a zero score in each encoding.
var zsetEncodingReplies = []zsetReply{
	// Encodings and conversions at the listpack limits
	{"FLUSHALL", "+OK\r\n"},
	{"CONFIG SET zset-max-listpack-entries 3", "+OK\r\n"},
	{"CONFIG SET zset-max-listpack-value 5", "+OK\r\n"},
	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"OBJECT ENCODING k", "$8\r\nlistpack\r\n"},
	{"ZADD k 4 d", ":1\r\n"},
	{"OBJECT ENCODING k", "$8\r\nskiplist\r\n"},
	{"ZREM k d c b", ":3\r\n"},
	{"OBJECT ENCODING k", "$8\r\nskiplist\r\n"},
	{"ZADD v 1 abcde", ":1\r\n"},
	{"OBJECT ENCODING v", "$8\r\nlistpack\r\n"},
	{"ZADD v 1 abcdef", ":1\r\n"},
	{"OBJECT ENCODING v", "$8\r\nskiplist\r\n"},
	{"ZADD w 1 abcdef 2 a", ":2\r\n"},
	{"OBJECT ENCODING w", "$8\r\nskiplist\r\n"},
	{"ZADD u 1 a 2 abcdef", ":2\r\n"},
	{"OBJECT ENCODING u", "$8\r\nskiplist\r\n"},
	{"ZADD dups 1 a 1 b 1 c 1 a 1 b", ":3\r\n"},
	{"OBJECT ENCODING dups", "$8\r\nlistpack\r\n"},
	{"ZADD x 1 a 2 b", ":2\r\n"},
	{"ZADD x XX 5 abcdefgh 5 zzzzzzzz", ":0\r\n"},
	{"OBJECT ENCODING x", "$8\r\nlistpack\r\n"},
	{"ZRANGESTORE dst k 0 -1", ":1\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nlistpack\r\n"},
	{"ZADD big 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
	{"ZRANGESTORE dst big 0 2", ":3\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nlistpack\r\n"},
	{"ZRANGESTORE dst big 0 3", ":4\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nskiplist\r\n"},
	{"ZUNIONSTORE dst 1 big", ":5\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nskiplist\r\n"},
	{"ZINTERSTORE dst 2 big x", ":2\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nlistpack\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n4\r\n"},
	{"ZUNIONSTORE dst 2 v x", ":4\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nskiplist\r\n"},
	{"ZDIFFSTORE dst 1 w", ":2\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nskiplist\r\n"},
	{"COPY big big2", ":1\r\n"},
	{"OBJECT ENCODING big2", "$8\r\nskiplist\r\n"},
	{"ZRANGE big2 0 -1 WITHSCORES", "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{"ZPOPMIN big 3", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"OBJECT ENCODING big", "$8\r\nskiplist\r\n"},
	{"CONFIG SET zset-max-listpack-entries 0", "+OK\r\n"},
	{"ZADD z0 1 a", ":1\r\n"},
	{"OBJECT ENCODING z0", "$8\r\nskiplist\r\n"},
	{"ZRANGESTORE dst x 0 0", ":1\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nskiplist\r\n"},
	{"CONFIG SET zset-max-listpack-entries 128", "+OK\r\n"},
	{"CONFIG SET zset-max-listpack-value 64", "+OK\r\n"},
	{"ZADD neg -0 a", ":1\r\n"},
	{"ZSCORE neg a", "$1\r\n0\r\n"},
	{"ZADD negbig -0 a 1 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", ":2\r\n"},
	{"ZSCORE negbig a", "$1\r\n0\r\n"},
	{"ZUNIONSTORE negu 1 negbig", ":2\r\n"},
	{"ZSCORE negu a", "$1\r\n0\r\n"},
	{"ZADD n2 -0 a", ":1\r\n"},
	{"ZINCRBY n2 -0 a", "$1\r\n0\r\n"},
	{"ZADD n3 INCR -0 a", "$2\r\n-0\r\n"},
	// The member that overflows a listpack goes into the new skiplist and
	// keeps the sign of its zero score.
	{"CONFIG SET zset-max-listpack-entries 3", "+OK\r\n"},
	{"DEL nz nz2", ":0\r\n"},
	{"ZADD nz 1 a 2 b 3 c", ":3\r\n"},
	{"ZADD nz -0 d", ":1\r\n"},
	{"ZSCORE nz d", "$2\r\n-0\r\n"},
	{"OBJECT ENCODING nz", "$8\r\nskiplist\r\n"},
	{"ZADD nz2 1 a 2 b 3 c", ":3\r\n"},
	{"ZINCRBY nz2 -0 d", "$2\r\n-0\r\n"},
	{"ZSCORE nz2 d", "$2\r\n-0\r\n"},
	{"ZRANGESTORE nz3 nz 0 -1", ":4\r\n"},
	{"ZSCORE nz3 d", "$2\r\n-0\r\n"},
	{"CONFIG SET zset-max-listpack-entries 128", "+OK\r\n"},
}

// zsetSetInputReplies: sets (listpack, intset) as inputs of the set
// operations, where every member scores 1.
var zsetSetInputReplies = []zsetReply{
	// Sets as inputs of ZUNION, ZINTER and ZDIFF (every member scores 1)
	{"DEL k s is big", ":0\r\n"},
	{"ZADD k 1 a 2 b 3 c", ":3\r\n"},
	{"SADD s a b x", ":3\r\n"},
	{"SADD is 1 2 300", ":3\r\n"},
	{"ZADD big 5 1 6 2 7 c", ":3\r\n"},
	{"ZUNION 2 k s WITHSCORES", "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZUNION 3 k s is WEIGHTS 1 10 100 WITHSCORES", "*14\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nx\r\n$2\r\n10\r\n$1\r\na\r\n$2\r\n11\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\n1\r\n$3\r\n100\r\n$1\r\n2\r\n$3\r\n100\r\n$3\r\n300\r\n$3\r\n100\r\n"},
	{"ZINTER 2 k s WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n"},
	{"ZINTER 2 s k AGGREGATE MAX WITHSCORES", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"ZINTER 2 is big WITHSCORES", "*4\r\n$1\r\n1\r\n$1\r\n6\r\n$1\r\n2\r\n$1\r\n7\r\n"},
	{"ZDIFF 2 k s WITHSCORES", "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{"ZDIFF 2 s k WITHSCORES", "*2\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{"ZDIFF 2 is big", "*1\r\n$3\r\n300\r\n"},
	{"ZINTERCARD 2 k s", ":2\r\n"},
	{"ZINTERCARD 2 is big", ":2\r\n"},
	{"ZUNIONSTORE dst 2 s is", ":6\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*12\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n$3\r\n300\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{"OBJECT ENCODING dst", "$8\r\nlistpack\r\n"},
	{"ZINTERSTORE dst 1 s", ":3\r\n"},
	{"ZRANGE dst 0 -1 WITHSCORES", "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{"ZDIFFSTORE dst 2 s s", ":0\r\n"},
	{"EXISTS dst", ":0\r\n"},
}

type zsetReply struct{ cmd, reply string }

func runZSetReplies(t *testing.T, rows []zsetReply) {
	c := newTestClient(t)
	for _, r := range rows {
		switch r.cmd {
		case "#resp3":
			c.do("HELLO 3")
			continue
		case "#resp2":
			c.do("HELLO 2")
			continue
		}
		c.expect(r.cmd, r.reply)
	}
}

func TestZSetReplies(t *testing.T)         { runZSetReplies(t, zsetReplies) }
func TestZSetBigReplies(t *testing.T)      { runZSetReplies(t, zsetBigReplies) }
func TestZSetEncodingReplies(t *testing.T) { runZSetReplies(t, zsetEncodingReplies) }
func TestZSetSetInputReplies(t *testing.T) { runZSetReplies(t, zsetSetInputReplies) }

// TestZSetEffects checks propagation, keyspace events (as redis-server
// 7.0.15 sends them, "new" included) and the change counter.
func TestZSetEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.srv.notifyFlags.v.Store(c.srv.notifyFlags.v.Load() | uint32(NotifyNew))
	checkEffects(t, c, rec, []effectCase{
		{cmd: "ZADD k 1 a 2 b", reply: ":2\r\n", stream: []string{"ZADD k 1 a 2 b"}, events: []string{"new:k", "zadd:k"}, dirty: 2},
		{cmd: "ZADD k 1 a", reply: ":0\r\n"},
		{cmd: "ZADD k XX 5 nope", reply: ":0\r\n"},
		{cmd: "ZADD k CH 5 a 6 b 7 c", reply: ":3\r\n", stream: []string{"ZADD k CH 5 a 6 b 7 c"}, events: []string{"zadd:k"}, dirty: 3},
		{cmd: "ZINCRBY k 1 a", reply: "$1\r\n6\r\n", stream: []string{"ZINCRBY k 1 a"}, events: []string{"zincr:k"}, dirty: 1},
		{cmd: "ZADD k INCR 0 a", reply: "$1\r\n6\r\n"},
		{cmd: "ZADD k INCR inf a", reply: "$3\r\ninf\r\n", stream: []string{"ZADD k INCR inf a"}, events: []string{"zincr:k"}, dirty: 1},
		{cmd: "ZADD k INCR -inf a", reply: "-ERR resulting score is not a number (NaN)\r\n"},
		{cmd: "ZREM k a nope", reply: ":1\r\n", stream: []string{"ZREM k a nope"}, events: []string{"zrem:k"}, dirty: 1},
		{cmd: "ZREM k b c", reply: ":2\r\n", stream: []string{"ZREM k b c"}, events: []string{"zrem:k", "del:k"}, dirty: 2},
		{cmd: "ZREM k b", reply: ":0\r\n"},
		{cmd: "ZADD k 1 a 2 b 3 c 4 d", reply: ":4\r\n", stream: []string{"ZADD k 1 a 2 b 3 c 4 d"}, events: []string{"new:k", "zadd:k"}, dirty: 4},
		{cmd: "ZREMRANGEBYSCORE k 9 10", reply: ":0\r\n"},
		{cmd: "ZREMRANGEBYSCORE k 2 3", reply: ":2\r\n", stream: []string{"ZREMRANGEBYSCORE k 2 3"}, events: []string{"zremrangebyscore:k"}, dirty: 2},
		{cmd: "ZREMRANGEBYLEX k [a [a", reply: ":1\r\n", stream: []string{"ZREMRANGEBYLEX k [a [a"}, events: []string{"zremrangebylex:k"}, dirty: 1},
		{cmd: "ZREMRANGEBYRANK k 0 -1", reply: ":1\r\n", stream: []string{"ZREMRANGEBYRANK k 0 -1"}, events: []string{"zremrangebyrank:k", "del:k"}, dirty: 1},
		{cmd: "ZADD k 1 a 2 b 3 c", reply: ":3\r\n", stream: []string{"ZADD k 1 a 2 b 3 c"}, events: []string{"new:k", "zadd:k"}, dirty: 3},
		{cmd: "ZPOPMIN k", reply: "*2\r\n$1\r\na\r\n$1\r\n1\r\n", stream: []string{"ZPOPMIN k"}, events: []string{"zpopmin:k"}, dirty: 1},
		{cmd: "ZPOPMAX nokey", reply: "*0\r\n"},
		{cmd: "ZADD k 1 a", reply: ":1\r\n", stream: []string{"ZADD k 1 a"}, events: []string{"zadd:k"}, dirty: 1},
		{cmd: "ZUNIONSTORE dst 1 k", reply: ":3\r\n", stream: []string{"ZUNIONSTORE dst 1 k"}, events: []string{"new:dst", "zunionstore:dst"}, dirty: 1},
		{cmd: "ZUNIONSTORE dst 1 k", reply: ":3\r\n", stream: []string{"ZUNIONSTORE dst 1 k"}, events: []string{"zunionstore:dst"}, dirty: 1},
		{cmd: "ZINTERSTORE dst 2 k nokey", reply: ":0\r\n", stream: []string{"ZINTERSTORE dst 2 k nokey"}, events: []string{"keymiss:nokey", "del:dst"}, dirty: 1},
		{cmd: "ZINTERSTORE dst 2 k nokey", reply: ":0\r\n", events: []string{"keymiss:nokey"}},
		{cmd: "ZRANGESTORE dst k 0 0", reply: ":1\r\n", stream: []string{"ZRANGESTORE dst k 0 0"}, events: []string{"new:dst", "zrangestore:dst"}, dirty: 1},
		{cmd: "ZDIFFSTORE dst 2 k k", reply: ":0\r\n", stream: []string{"ZDIFFSTORE dst 2 k k"}, events: []string{"del:dst"}, dirty: 1},
		// ZMPOP is propagated as the pop it made, with the count it popped.
		{cmd: "ZMPOP 2 nokey k MAX COUNT 5", reply: "*2\r\n$1\r\nk\r\n*3\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
			stream: []string{"ZPOPMAX k 3"}, events: []string{"zpopmax:k", "del:k"}, dirty: 3},
		{cmd: "ZMPOP 1 nokey MIN", reply: "*-1\r\n"},
		{cmd: "ZRANGE nokey 0 1", reply: "*0\r\n", events: []string{"keymiss:nokey"}},
	})
}

// TestZSetRandMember checks ZRANDMEMBER's guarantees on both encodings:
// members and scores come from the set, a positive count gives distinct
// members, a negative one exactly -count picks.
func TestZSetRandMember(t *testing.T) {
	for _, size := range []int{5, 300} {
		c := newTestClient(t)
		scores := map[string]string{}
		var args []string
		for i := 0; i < size; i++ {
			m := fmt.Sprintf("m%d", i)
			scores[m] = strconv.Itoa(i * 3)
			args = append(args, scores[m], m)
		}
		c.expect("ZADD k "+strings.Join(args, " "), ":"+strconv.Itoa(size)+"\r\n")
		check := func(cmd string, want int, distinct bool) {
			t.Helper()
			elems := parseFlatArray(t, c.do(cmd))
			if len(elems) != 2*want {
				t.Fatalf("%s: %d elements, want %d pairs", cmd, len(elems), want)
			}
			seen := map[string]bool{}
			for i := 0; i < len(elems); i += 2 {
				if scores[elems[i]] != elems[i+1] {
					t.Fatalf("%s: %q with score %q is not in the set", cmd, elems[i], elems[i+1])
				}
				if distinct && seen[elems[i]] {
					t.Fatalf("%s: %q twice", cmd, elems[i])
				}
				seen[elems[i]] = true
			}
		}
		for _, n := range []int{1, 2, 3, size / 2, size - 1, size, size + 10} {
			check(fmt.Sprintf("ZRANDMEMBER k %d WITHSCORES", n), min(n, size), true)
			check(fmt.Sprintf("ZRANDMEMBER k -%d WITHSCORES", n), n, false)
		}
		// Picks with repetition do repeat, and cover the set.
		elems := parseFlatArray(t, c.do(fmt.Sprintf("ZRANDMEMBER k -%d", size*40)))
		counts := map[string]int{}
		for _, m := range elems {
			counts[m]++
		}
		if len(counts) != size {
			t.Errorf("size %d: %d picks saw %d members", size, len(elems), len(counts))
		}
		if one := c.do("ZRANDMEMBER k"); !strings.HasPrefix(one, "$") {
			t.Errorf("ZRANDMEMBER k: %q", one)
		}
	}
}

// parseFlatArray decodes a RESP2 array of bulk strings.
func parseFlatArray(t *testing.T, reply string) []string {
	t.Helper()
	if !strings.HasPrefix(reply, "*") {
		t.Fatalf("not an array: %q", reply)
	}
	end := strings.Index(reply, "\r\n")
	n, _ := strconv.Atoi(reply[1:end])
	rest := reply[end+2:]
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		end = strings.Index(rest, "\r\n")
		l, err := strconv.Atoi(rest[1:end])
		if rest[0] != '$' || err != nil {
			t.Fatalf("not a bulk string: %q", rest)
		}
		out = append(out, rest[end+2:end+2+l])
		rest = rest[end+2+l+2:]
	}
	return out
}

// TestZSetScanBig walks a big set with ZSCAN: every member comes back with
// its score as Redis's d2string prints it, MATCH filters, COUNT bounds the
// work per call.
func TestZSetScanBig(t *testing.T) {
	c := newTestClient(t)
	want := map[string]string{}
	var args []string
	for i := 0; i < 1000; i++ {
		m := fmt.Sprintf("m%d", i)
		s := float64(i) / 4
		if i == 700 {
			// Added once the set is big: the skiplist keeps the sign (a
			// -0 added while the set was small would have been stored as 0).
			s = math.Copysign(0, -1)
		}
		want[m] = string(zset.AppendScoreString(nil, s))
		args = append(args, strconv.FormatFloat(s, 'g', -1, 64), m)
	}
	c.expect("ZADD k "+strings.Join(args, " "), ":1000\r\n")
	c.expect("OBJECT ENCODING k", "$8\r\nskiplist\r\n")
	got := map[string]string{}
	cursor, calls := "0", 0
	for {
		reply := c.do("ZSCAN k " + cursor + " COUNT 20")
		// *2 $n cursor *m ...
		parts := strings.SplitN(reply, "\r\n", 4)
		cursor = parts[2]
		elems := parseFlatArray(t, parts[3])
		for i := 0; i < len(elems); i += 2 {
			got[elems[i]] = elems[i+1]
		}
		calls++
		if cursor == "0" {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("ZSCAN saw %d members, want %d", len(got), len(want))
	}
	for m, s := range want {
		if got[m] != s {
			t.Fatalf("%s: score %q, want %q", m, got[m], s)
		}
	}
	if got["m700"] != "-0" || got["m2"] != "0.5" || got["m8"] != "2" {
		t.Fatalf("score formats: %q %q %q", got["m700"], got["m2"], got["m8"])
	}
	if calls < 10 {
		t.Errorf("COUNT 20 over 1000 members took only %d calls", calls)
	}
	// MATCH keeps the pairs whose member matches.
	reply := c.do("ZSCAN k 0 MATCH m99* COUNT 100000")
	elems := parseFlatArray(t, strings.SplitN(reply, "\r\n", 4)[3])
	if len(elems) != 2*11 {
		t.Fatalf("MATCH m99*: %d elements", len(elems))
	}
}

func TestZSetKeyPositions(t *testing.T) {
	c := newTestClient(t)
	table := c.srv.table
	cases := []struct {
		cmd  string
		want []int
	}{
		{"ZUNIONSTORE d 2 a b WEIGHTS 1 2", []int{1, 3, 4}},
		{"ZUNIONSTORE d 3 a b", []int{1}},
		{"ZUNIONSTORE d x a b", []int{1}},
		{"ZINTER 2 a b WITHSCORES", []int{2, 3}},
		{"ZINTERCARD 1 a LIMIT 1", []int{2}},
		{"ZDIFF 0 a", nil},
		{"ZMPOP 2 a b MIN COUNT 3", []int{2, 3}},
		{"ZMPOP -1 a MIN", nil},
		{"ZRANGESTORE d s 0 -1", []int{1, 2}},
		{"ZADD k 1 a", []int{1}},
	}
	for _, tc := range cases {
		args, _ := sds.SplitArgs([]byte(tc.cmd), nil)
		cmd := table.Lookup(args[0])
		got := cmd.keyPositions(args, nil)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: keys at %v, want %v", tc.cmd, got, tc.want)
		}
	}
}

// TestZSetDumpRestore round-trips both encodings through DUMP and RESTORE,
// and checks the payload of a small set against redis-server 7.0.15's.
func TestZSetDumpRestore(t *testing.T) {
	c := newTestClient(t)
	c.expect("ZADD k 1 a 2.5 b", ":2\r\n")
	c.expect("DUMP k", "$32\r\n\x11\x14\x14\x00\x00\x00\x04\x00\x81a\x02\x01\x01\x81b\x02\x832.5\x04\xff\n\x00\xd4Ln\xa4\xf6D\xd9\xd7\r\n")
	var args []string
	for i := 0; i < 200; i++ {
		args = append(args, strconv.Itoa(i%7), "m"+strconv.Itoa(i))
	}
	c.expect("ZADD big "+strings.Join(args, " "), ":200\r\n")
	for _, key := range []string{"k", "big"} {
		payload := parseBulk(t, c.do("DUMP "+key))
		c.doArgs([]byte("RESTORE"), []byte(key+"2"), []byte("0"), []byte(payload))
		if a, b := c.do("ZRANGE "+key+" 0 -1 WITHSCORES"), c.do("ZRANGE "+key+"2 0 -1 WITHSCORES"); a != b {
			t.Errorf("%s: restored set differs", key)
		}
		if a, b := c.do("OBJECT ENCODING "+key), c.do("OBJECT ENCODING "+key+"2"); a != b {
			t.Errorf("%s: restored encoding %q, was %q", key, b, a)
		}
	}
}

func parseBulk(t *testing.T, reply string) string {
	t.Helper()
	end := strings.Index(reply, "\r\n")
	n, err := strconv.Atoi(reply[1:end])
	if reply[0] != '$' || err != nil {
		t.Fatalf("not a bulk string: %q", reply)
	}
	return reply[end+2 : end+2+n]
}

// TestZSetMulti runs sorted set commands inside MULTI, touching several
// keys, so the dispatcher locks every key they name.
func TestZSetMulti(t *testing.T) {
	c := newTestClient(t)
	c.expect("MULTI", "+OK\r\n")
	c.expect("ZADD a 1 x 2 y", "+QUEUED\r\n")
	c.expect("ZADD b 3 y 4 z", "+QUEUED\r\n")
	c.expect("ZUNIONSTORE u 2 a b", "+QUEUED\r\n")
	c.expect("ZMPOP 2 nokey u MAX", "+QUEUED\r\n")
	c.expect("EXEC", "*4\r\n:2\r\n:2\r\n:3\r\n*2\r\n$1\r\nu\r\n*1\r\n*2\r\n$1\r\ny\r\n$1\r\n5\r\n")
}
