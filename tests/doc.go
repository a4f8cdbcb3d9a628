// Package tests holds Vireo's end-to-end tests: the built binary on a free
// port, driven by real clients (go-redis, redis-cli), and differential tests
// against a real redis-server.
package tests
