#pragma once

// imagine: a header-only C++20 coroutine client for OpenAI image generation, on standalone
// Asio and OpenSSL. This umbrella header brings in the whole public API.
//
// Layers, each including only the ones below it:
//   json/      compile-time reflection, reader, writer, dynamic value
//   base64.hpp scalar and AVX2 codecs, incremental decoder
//   http/      HTTPS/1.1 client: URL, TLS, parser, pool, proxy, SSE, multipart
//   util/      image formats from their bytes; atomic image files
//   api/       the OpenAI client: types, checks, retries, images, event streams

#include <imagine/config.hpp>

#include <imagine/base64.hpp>
#include <imagine/json/enum.hpp>
#include <imagine/json/error.hpp>
#include <imagine/json/meta.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/reflect.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <imagine/http/body.hpp>
#include <imagine/http/client.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/exchange.hpp>
#include <imagine/http/fields.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/multipart.hpp>
#include <imagine/http/parser.hpp>
#include <imagine/http/proxy.hpp>
#include <imagine/http/response_stream.hpp>
#include <imagine/http/sse.hpp>
#include <imagine/http/tls.hpp>
#include <imagine/http/url.hpp>

#include <imagine/util/image_error.hpp>
#include <imagine/util/image_info.hpp>
#include <imagine/util/save_image.hpp>

#include <imagine/api/client.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/files.hpp>
#include <imagine/api/image_session.hpp>
#include <imagine/api/images.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/response_options.hpp>
#include <imagine/api/response_stream.hpp>
#include <imagine/api/responses.hpp>
#include <imagine/api/resumable_stream.hpp>
#include <imagine/api/retry.hpp>
#include <imagine/api/save_image.hpp>
#include <imagine/api/stream.hpp>
#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/files.hpp>
#include <imagine/api/types/image_events.hpp>
#include <imagine/api/types/image_tool.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/api/types/models.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_enums.hpp>
#include <imagine/api/types/response_events.hpp>
#include <imagine/api/types/response_input.hpp>
#include <imagine/api/types/response_request.hpp>
