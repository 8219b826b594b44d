// Package databasesql holds rulec's database/sql hooks (plugin
// "databasesql"): a CLIENT span and a db.client.operation.duration record
// for every query, exec, prepare, ping, begin, commit and rollback, through
// any driver, named and attributed per the OTel database conventions.
//
// The hooks sit on database/sql's internal *DC functions (queryDC, execDC,
// prepareDC, pingDC, beginDC), which DB, Conn and Tx all go through, and on
// Stmt's and Tx's own methods. What a span needs that those functions do
// not carry (the driver's system, the server, the database name; a
// statement's text) is attached to the *sql.DB and *sql.Stmt when they are
// made, in side tables that never keep them alive.
//
// Hook signatures are an ABI contract with the rulec compiler.
package databasesql
