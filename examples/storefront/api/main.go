// Command api is the storefront's HTTP API, written the way services are,
// with no telemetry code: gin routes, products in PostgreSQL through gorm,
// a Redis cache, stock from the inventory gRPC service, zap logs.
package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type Product struct {
	Code  string `gorm:"primaryKey" json:"code"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

func main() {
	logger, _ := zap.NewProduction()
	db, err := gorm.Open(postgres.Open(os.Getenv("DATABASE_DSN")), &gorm.Config{})
	if err != nil {
		logger.Fatal("database", zap.Error(err))
	}
	if err := db.AutoMigrate(&Product{}); err != nil {
		logger.Fatal("migrate", zap.Error(err))
	}
	db.Save(&Product{Code: "D42", Name: "Towel", Price: 42})
	db.Save(&Product{Code: "E7", Name: "Babel fish", Price: 7})
	cache := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	conn, err := grpc.NewClient(os.Getenv("INVENTORY_ADDR"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		logger.Fatal("inventory", zap.Error(err))
	}
	inventory := healthpb.NewHealthClient(conn)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/healthz", func(c *gin.Context) {})
	r.GET("/products/:code", func(c *gin.Context) {
		ctx, code := c.Request.Context(), c.Param("code")
		var p Product
		if cached, err := cache.Get(ctx, "product:"+code).Bytes(); err == nil {
			json.Unmarshal(cached, &p)
		} else {
			err := db.WithContext(ctx).First(&p, "code = ?", code).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				c.JSON(http.StatusNotFound, gin.H{"error": "no such product"})
				return
			}
			if err != nil {
				c.Error(err)
				c.Status(http.StatusInternalServerError)
				return
			}
			b, _ := json.Marshal(p)
			cache.Set(ctx, "product:"+code, b, time.Minute)
		}
		stock, err := inventory.Check(ctx, &healthpb.HealthCheckRequest{Service: code})
		inStock := err == nil && stock.GetStatus() == healthpb.HealthCheckResponse_SERVING
		logger.Info("product served", zap.String("code", code), zap.Bool("in_stock", inStock))
		c.JSON(http.StatusOK, gin.H{"product": p, "in_stock": inStock})
	})
	if err := r.Run(os.Getenv("API_ADDR")); err != nil {
		logger.Fatal("serve", zap.Error(err))
	}
}
