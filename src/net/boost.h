// The one way roomgate includes Boost.Asio and Boost.Beast.
//
// Boost 1.74 with g++ 12 in -std=c++20 mode fails to compile Asio unless
// <utility> is seen first (upstream asio issue 944), so every file that needs
// Asio or Beast includes this shim and never a Boost header directly
// (DESIGN.md, firm decisions). Beast also uses std::string_view here, so the
// rest of src/net/ does not convert between two string_view types; defining
// it in this one place keeps every translation unit consistent.
//
// Only the network edges include this file — src/net/ (HTTP/WebSocket
// server), src/media/ (the Janus client, in its .cc files and internal
// headers) and the benchmark's load generator — so no Beast types cross into
// the API or session layers (STYLE.md rule 7).
//
// Thread-safety: not applicable (declarations only).
#ifndef ROOMGATE_NET_BOOST_H_
#define ROOMGATE_NET_BOOST_H_

// clang-format off
#include <utility>  // must precede Asio; see the header comment
// clang-format on

#ifndef BOOST_BEAST_USE_STD_STRING_VIEW
#define BOOST_BEAST_USE_STD_STRING_VIEW 1
#endif

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace roomgate::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

// A connection's socket and timer carry their strand in their type rather
// than behind asio::any_io_executor: the type-erased executor costs a shared
// strand copy and an indirect call on every operation, measurable at tens of
// thousands of requests per second.
using Strand = asio::strand<asio::io_context::executor_type>;
using StrandSocket = tcp::socket::rebind_executor<Strand>::other;
using StrandTimer = asio::steady_timer::rebind_executor<Strand>::other;

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_BOOST_H_
